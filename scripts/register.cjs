// Runs TypeScript sources directly (development start, scripts) through SWC. Use it with
// `node --conditions=source -r ./scripts/register.cjs`: the "source" export condition makes the
// workspace packages (@supergraph/*) resolve to their src/ files instead of built dist/.
const { join } = require('node:path');
process.env.SWC_NODE_PROJECT ??= join(__dirname, '..', 'tsconfig.json');
process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
require('@swc-node/register');
