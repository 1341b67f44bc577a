#!/usr/bin/env bash
# `npm test`: every check and test, on the embedded default and on the production path.
#  1. generated files are current (schema/ from the code, typed operations from schema/api.graphql),
#     migrations match the entities, and the whole tree type-checks;
#  2. unit tests and the API suite through a running supergraph on the embedded default;
#  3. the API suite again on the production topology: each service its own process from built
#     JavaScript, on Postgres (TEST_DATABASE_URL, default 127.0.0.1:5432) and Redis
#     (TEST_REDIS_URL, default 127.0.0.1:6379), in a fresh database that is dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
export APOLLO_TELEMETRY_DISABLED=true
results=$(mktemp -d)

bash scripts/system-deps.sh
npm run --silent compose -- --check
npm run --silent codegen -- --check
npm run --silent typecheck
for service in $(node -e "console.log(require('fs').readdirSync('subgraphs').filter(s=>require('fs').existsSync('subgraphs/'+s+'/src/migrations')).join(' '))"); do
  npm run --silent migration -- "$service" --check
done

npm run --silent build:dashboard

echo "== unit tests and API suite on the embedded default"
npx vitest run --project unit --project api --reporter=default --reporter=json --outputFile="$results/embedded.json"

echo "== API suite on the production topology (Postgres + Redis, one process per service)"
npm run --silent build
run_id="ci_$(date +%s)_$$"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$run_id}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
node -e "
const { Client } = require('pg'); const u = new URL(process.env.TEST_DATABASE_URL); u.pathname = '/postgres';
const c = new Client({ connectionString: u.toString() });
c.connect().then(() => c.end()).catch((e) => { console.error('Postgres is not reachable at ' + u.host + ': ' + e.message + ' (set TEST_DATABASE_URL)'); process.exit(1); });"
npx vitest run --project api --project production --reporter=default --reporter=json --outputFile="$results/production.json"

node -e "
let passed = 0, failed = 0, skipped = 0;
for (const f of ['embedded', 'production']) {
  const r = require('$results/' + f + '.json');
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
}
console.log('\n' + passed + ' passed, ' + failed + ' failed' + (skipped ? ', ' + skipped + ' skipped' : ''));
process.exit(failed ? 1 : 0);"
