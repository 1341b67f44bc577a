#!/usr/bin/env bash
# `npm test`: every check and test, on the embedded default and on the production path.
#  1. generated files are current (schema/ from the code, typed operations from schema/api.graphql),
#     migrations match the entities, the whole tree type-checks, and lint and format pass
#     (`npm run lint`: ESLint and Prettier; `npm run format` fixes what they can);
#  2. unit tests and the API suite through a running supergraph on the embedded default;
#  3. the API suite again on the production topology: each service its own process from built
#     JavaScript, on Postgres (TEST_DATABASE_URL, default 127.0.0.1:5432) and Redis
#     (TEST_REDIS_URL, default 127.0.0.1:6379), in a fresh database that is dropped afterwards.
# Steps that do not depend on each other run side by side (the checks of 1; the build for 3 while
# 2 runs; the fault tests of test/production beside the API suite of 3): most of a test run waits
# on I/O, so a second core would otherwise sit idle. Each side job's output is printed when it
# ends; any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export APOLLO_TELEMETRY_DISABLED=true
results=$(mktemp -d)

# Runs "name command..." jobs in the background, logging each to $results/<name>.log.
declare -A jobs=()
start_job() {
  local name=$1
  shift
  ("$@") >"$results/$name.log" 2>&1 &
  jobs[$name]=$!
}
# Waits for the named jobs, prints each log, and fails if any of them failed.
wait_jobs() {
  local failed=0
  for name in "$@"; do
    if wait "${jobs[$name]}"; then echo "-- $name: ok"; else echo "-- $name: FAILED"; failed=1; fi
    cat "$results/$name.log"
  done
  return $failed
}

migrations() {
  for service in $(node -e "console.log(require('fs').readdirSync('subgraphs').filter(s=>require('fs').existsSync('subgraphs/'+s+'/src/migrations')).join(' '))"); do
    npm run --silent migration -- "$service" --check
  done
}
generated() {
  npm run --silent compose -- --check
  npm run --silent codegen -- --check
}

bash scripts/system-deps.sh
echo "== checks: generated files, migrations, types, lint and format (side by side)"
start_job generated generated
start_job lint npm run --silent lint
start_job migrations migrations
start_job typecheck npm run --silent typecheck
start_job dashboard npm run --silent build:dashboard
wait_jobs generated migrations typecheck lint dashboard

echo "== unit tests and API suite on the embedded default (the build for the production topology alongside)"
# `npm run build` without its dashboard step: the dashboard built above is served by the embedded run.
start_job build npx tsc -b tsconfig.build.json
embedded=0
npx vitest run --project unit --project api --reporter=default --reporter=json --outputFile="$results/embedded.json" || embedded=$?
wait_jobs build
[ "$embedded" -eq 0 ] || exit "$embedded"

echo "== API suite on the production topology (Postgres + Redis, one process per service), fault tests alongside"
run_id="ci_$(date +%s)_$$"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$run_id}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
node -e "
const { Client } = require('pg'); const u = new URL(process.env.TEST_DATABASE_URL); u.pathname = '/postgres';
const c = new Client({ connectionString: u.toString() });
c.connect().then(() => c.end()).catch((e) => { console.error('Postgres is not reachable at ' + u.host + ': ' + e.message + ' (set TEST_DATABASE_URL)'); process.exit(1); });"
# The fault tests start topologies of their own (own databases, Redis prefixes, ports), so they
# need not wait for the API suite's stack; their output is printed when they end.
start_job faults npx vitest run --project production --reporter=default --reporter=json --outputFile="$results/faults.json"
npx vitest run --project api --reporter=default --reporter=json --outputFile="$results/production.json" || true
wait_jobs faults || true

node -e "
let passed = 0, failed = 0, skipped = 0;
for (const f of ['embedded', 'production', 'faults']) {
  let r;
  try { r = require('$results/' + f + '.json'); } catch { console.error(f + ': no results (the run did not finish)'); failed++; continue; }
  // A file that fails outside its tests (a hook, an import) fails the run too.
  passed += r.numPassedTests; failed += r.numFailedTests || (r.success ? 0 : Math.max(1, r.numFailedTestSuites));
  skipped += r.numPendingTests + r.numTodoTests;
}
console.log('\n' + passed + ' passed, ' + failed + ' failed' + (skipped ? ', ' + skipped + ' skipped' : ''));
process.exit(failed ? 1 : 0);"
