/** Health of one subgraph as the router sees it. */
export interface SubgraphHealth {
  name: string;
  url: string;
  status: 'up' | 'down';
  detail?: string;
}

/**
 * Asks every subgraph's `/health` (or `/ready`) in parallel, each bounded by `timeoutMs`.
 * The origin of a subgraph is its GraphQL URL without the path.
 */
export async function probeSubgraphs(
  urls: Record<string, string>,
  path: '/health' | '/ready',
  timeoutMs = 2_000,
): Promise<SubgraphHealth[]> {
  return Promise.all(
    Object.entries(urls).map(async ([name, url]): Promise<SubgraphHealth> => {
      try {
        const res = await fetch(new URL(path, url), { signal: AbortSignal.timeout(timeoutMs) });
        return res.ok ? { name, url, status: 'up' } : { name, url, status: 'down', detail: `HTTP ${res.status}` };
      } catch (err) {
        return {
          name,
          url,
          status: 'down',
          detail: (err as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable',
        };
      }
    }),
  );
}
