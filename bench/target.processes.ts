/**
 * Starting the bench's targets beside the production topology: the router processes of their own,
 * the peers and the bare forwarder in processes of their own, and the subgraphs directly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDENTITY_HEADER, signIdentity } from '@supergraph/kit';
import type { startProduction } from '../scripts/start-production';
import { startPeer, supergraphFor, type PeerProcess } from './peers/peer.process';
import type { BenchContext } from './scenarios';
import { TARGET_ORDER, directTarget, forwarderTarget, gatewayTarget, type Target, type TargetName } from './targets';

const ROOT = join(__dirname, '..');

/** What starting the targets needs. */
export interface TargetDeps {
  topology: Awaited<ReturnType<typeof startProduction>>;
  ctx: BenchContext;
  secret: string;
  uncachedEnv: Record<string, string>;
  peers: PeerProcess[];
}

/**
 * The environment of a router process of the bench beside the deployed one: `uncachedEnv` (caches
 * off); for router-entity without its entity cache settings (the entity cache on, as issue #14 counts
 * it against the plain gateway; the response cache still off); for router-gateway with the
 * single-fetch shortcut off too (every query executed by the gateway, to show what the shortcut gains).
 */
function routerEnv(name: 'router' | 'router-entity' | 'router-gateway', uncachedEnv: Record<string, string>) {
  if (name === 'router-entity')
    return Object.fromEntries(Object.entries(uncachedEnv).filter(([k]) => !k.startsWith('ENTITY_CACHE')));
  return { ...uncachedEnv, ...(name === 'router-gateway' ? { SINGLE_FETCH_SHORTCUT: 'false' } : {}) };
}

/**
 * The selected targets, started: our router as the topology runs it (caches on), router processes
 * of their own for the other router targets (`routerEnv`), the peers and the bare forwarder in their
 * own processes, and the subgraphs directly. Every started peer is pushed to `peers` so the caller
 * stops it.
 */
export async function startTargets(names: TargetName[], deps: TargetDeps): Promise<Target[]> {
  const { topology, ctx, secret } = deps;
  const urls = ctx.subgraphUrls;
  const peerEnv = () => ({
    BENCH_SUPERGRAPH_FILE: supergraphFor(readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'), urls),
    ROUTER_SIGNING_SECRET: secret,
    JWKS_URL: new URL('/.well-known/jwks.json', urls.users).toString(),
  });
  // The services' child may be replaced by a restart: look the process up when it is read.
  const direct = directTarget(ctx, secret, (n) => topology.services.find((s) => s.name === n)?.child.pid);
  const targets: Target[] = [];
  for (const name of TARGET_ORDER.filter((n) => names.includes(n))) {
    if (name === 'router' || name === 'router-entity' || name === 'router-gateway') {
      const env = routerEnv(name, deps.uncachedEnv);
      const shown = Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      console.log(`starting a router process (${shown})…`);
      const replica = await topology.services.find((s) => s.name === 'router')!.replica(env);
      targets.push(gatewayTarget(name, replica.url, ctx, replica.child.pid));
    } else if (name === 'router-cached') {
      const router = topology.services.find((s) => s.name === 'router');
      targets.push(gatewayTarget('router-cached', topology.routerUrl, ctx, router?.child.pid));
    } else if (name === 'direct') {
      targets.push(direct);
    } else if (name === 'forwarder') {
      console.log('starting the bare HTTP forwarder…');
      const peer = await startPeer(
        name,
        'http-forwarder.server.ts',
        { FORWARD_URLS: JSON.stringify(urls) },
        { path: '/users', headers: { [IDENTITY_HEADER]: await signIdentity({}, 'bench-check', secret) } },
      );
      deps.peers.push(peer);
      targets.push(forwarderTarget(direct, peer.origin, peer.child.pid));
    } else {
      console.log(`starting the ${name} peer…`);
      const peer = await startPeer(
        name,
        name === 'hive' ? 'hive-gateway.server.ts' : 'plain-gateway.server.ts',
        peerEnv(),
      );
      deps.peers.push(peer);
      targets.push(gatewayTarget(name, peer.url, ctx, peer.child.pid));
    }
  }
  return targets;
}
