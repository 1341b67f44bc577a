import type { HealthCheck } from '@supergraph/kit';

/**
 * The router's health checks: one per subgraph, named after it, asking its `/health` (liveness) or
 * `/ready` (readiness), each bounded by `timeoutMs`. Down outcomes say why: `HTTP <status>`,
 * `timed out` or `unreachable`. The origin of a subgraph is its GraphQL URL without the path.
 */
export function subgraphProbes(
  urls: Record<string, string>,
  path: '/health' | '/ready',
  timeoutMs = 2_000,
): Record<string, HealthCheck> {
  const probe =
    (url: string): HealthCheck =>
    async () => {
      try {
        const res = await fetch(new URL(path, url), { signal: AbortSignal.timeout(timeoutMs) });
        await res.body?.cancel();
        return res.ok ? { status: 'up' } : { status: 'down', detail: `HTTP ${res.status}` };
      } catch (err) {
        return { status: 'down', detail: (err as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable' };
      }
    };
  return Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, probe(url)]));
}
