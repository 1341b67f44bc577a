import { IDENTITY_HEADER, signIdentity, type Identity } from '@supergraph/kit';
import type { PreparedRequest } from './load';
import { bodyOf, type BenchContext, type BenchRequest, type Scenario } from './scenarios';

/** The servers a scenario can be measured on. */
export type TargetName =
  'router' | 'router-entity' | 'router-gateway' | 'router-cached' | 'hive' | 'plain' | 'forwarder' | 'direct';

/** Every target, in the round-robin order of a round. */
export const TARGET_ORDER: TargetName[] = [
  'router',
  'router-entity',
  'router-gateway',
  'router-cached',
  'hive',
  'plain',
  'forwarder',
  'direct',
];

/** How the report names each target. */
export const TARGET_LABELS: Record<TargetName, string> = {
  router: 'our router, caches off',
  'router-entity': 'our router, entity cache only',
  'router-gateway': 'our router, caches off, no single-fetch shortcut',
  'router-cached': 'our router, caches on',
  hive: 'Hive Gateway (defaults)',
  plain: 'plain @apollo/gateway (defaults)',
  forwarder: 'a bare HTTP forwarder to the subgraph (no GraphQL)',
  direct: 'the subgraph directly',
};

/** A running server requests can be sent to. */
export interface Target {
  name: TargetName;
  /** Where to POST a scenario's operation. */
  url(scenario: Scenario): string;
  /**
   * The requests of a scenario as this target must receive them. Gateways get the user's bearer
   * token; a subgraph directly gets the identity signature the router would send. Signatures live
   * 60 s, so they are made per round (rounds are at most 50 s).
   */
  prepare(scenario: Scenario, requests: BenchRequest[]): Promise<PreparedRequest[]>;
  /** The process that serves `scenario` on this target, whose CPU time the bench reads. */
  pid(scenario: Scenario): number | undefined;
}

/** A gateway target (our router, or a peer) at `url`: clients send their bearer tokens. */
export function gatewayTarget(
  name: Exclude<TargetName, 'direct' | 'forwarder'>,
  url: string,
  ctx: BenchContext,
  pid: number | undefined,
): Target {
  return {
    name,
    url: () => url,
    pid: () => pid,
    async prepare(scenario, requests) {
      return requests.map((r): PreparedRequest => ({
        body: bodyOf(scenario, r),
        headers: r.user === undefined ? {} : { authorization: `Bearer ${ctx.sessions.users[r.user]!.accessToken}` },
      }));
    },
  };
}

/** The owning subgraph directly, with the signed identity header the router would add. */
export function directTarget(
  ctx: BenchContext,
  secret: string,
  pidOf: (subgraph: string) => number | undefined,
): Target {
  return {
    name: 'direct',
    pid: (scenario) => (scenario.compareDirect ? pidOf(scenario.compareDirect) : undefined),
    url: (scenario) => {
      const url = scenario.compareDirect && ctx.subgraphUrls[scenario.compareDirect];
      if (!url) throw new Error(`${scenario.name} has no subgraph to call directly`);
      return url;
    },
    async prepare(scenario, requests) {
      const signed = new Map<number | undefined, string>();
      const identity = (user?: number): Identity =>
        user === undefined ? {} : { userId: ctx.sessions.users[user]!.id, role: 'USER' };
      return Promise.all(
        requests.map(async (r) => {
          if (!signed.has(r.user)) signed.set(r.user, await signIdentity(identity(r.user), 'bench-direct', secret));
          return { body: bodyOf(scenario, r), headers: { [IDENTITY_HEADER]: signed.get(r.user)! } };
        }),
      );
    },
  };
}

/**
 * The owning subgraph through the bare HTTP forwarder at `origin` (bench/peers/http-forwarder.server.ts):
 * the direct call's requests, signed identity included, one hop further. What any gateway's hop costs
 * at the least, measured where the direct call is.
 */
export function forwarderTarget(direct: Target, origin: string, pid: number | undefined): Target {
  return {
    name: 'forwarder',
    pid: () => pid,
    url: (scenario) => {
      if (!scenario.compareDirect) throw new Error(`${scenario.name} has no subgraph to forward to`);
      return `${origin}/${scenario.compareDirect}`;
    },
    prepare: (scenario, requests) => direct.prepare(scenario, requests),
  };
}
