/**
 * A bench peer in its own process: Hive Gateway (`@graphql-hive/gateway-runtime`) with its defaults
 * on the supergraph file BENCH_SUPERGRAPH_FILE (subgraph URLs: the running ones), served with
 * node:http. The only additions are what our subgraphs require to answer at all, done the way our
 * router does them: the bearer token verified against the users JWKS once per client request and
 * the caller's identity signed on every subgraph fetch (see peer.identity.ts). Listens on a free
 * loopback port and reports it to the parent.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Transport } from '@graphql-mesh/transport-common';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { PeerIdentity, peerSettings, reportPort, type PeerCaller } from './peer.identity';

/**
 * The HTTP transport for queries and mutations. Hive Gateway loads it from
 * `@graphql-mesh/transport-http`, which is not installed here; that package builds the subgraph
 * executor the same way, with `@graphql-tools/executor-http` (installed with the runtime) at the
 * subgraph's location and the gateway's own fetch, so the plugins' fetch hooks (header
 * propagation) still run on every subgraph fetch.
 */
const httpTransport: Transport = {
  getSubgraphExecutor: ({ transportEntry, fetch, getDisposeReason }) =>
    buildHTTPExecutor({ endpoint: transportEntry.location, getDisposeReason, fetch: fetch as never }),
};

interface BenchContext {
  benchCaller?: PeerCaller;
}

async function main(): Promise<void> {
  const settings = peerSettings();
  const peer = new PeerIdentity(settings);
  const verify: GatewayPlugin<BenchContext> = {
    async onContextBuilding({ context, extendContext }) {
      extendContext({ benchCaller: await peer.caller(context.request.headers.get('authorization')) });
    },
  };
  const gateway = createGatewayRuntime<BenchContext>({
    supergraph: settings.supergraphFile,
    logging: 'error',
    transports: { http: httpTransport },
    plugins: () => [verify],
    propagateHeaders: {
      fromClientToSubgraphs: ({ context }) =>
        peer.subgraphHeaders(context.benchCaller ?? { identity: {}, correlationId: '' }),
    },
  });
  const server = createServer(gateway);
  server.keepAliveTimeout = 65_000; // as the kit's listen() does for our services
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  reportPort((server.address() as AddressInfo).port);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
