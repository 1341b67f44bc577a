import autocannon from 'autocannon';

/** One prepared HTTP request: a JSON body POSTed with these headers. */
export interface PreparedRequest {
  body: string;
  headers: Record<string, string>;
}

/** One measured load run against one target. */
export interface LoadResult {
  rps: number;
  /** Latency of 2xx answers, ms, from the load generator's own timings (sub-millisecond). */
  p50: number;
  p99: number;
  /** Requests answered (any status). */
  requests: number;
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number;
  /** Answers whose body carries a GraphQL `errors` entry. */
  graphqlErrors: number;
  /** Subgraph operations served during the run per request answered (null: not counted). */
  upstreamPerRequest: number | null;
  /** CPU ms the target's own process spent per request answered (null: not measured). */
  cpuMsPerRequest: number | null;
}

/** Median figures of one target over the rounds of a scenario, and how far apart the rounds were. */
export interface LoadSummary extends LoadResult {
  runs: LoadResult[];
  /** (max − min) / median of requests per second, over the rounds. */
  spread: number;
}

/** The `p` quantile (0–1) of ascending `sorted`, 0 when empty. */
export const percentile = (sorted: Float64Array, p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : 0;

/**
 * Drives `connections` keep-alive connections at `url` for `seconds`, each request the next of
 * `requests` in rotation (one request: the same bytes every time, built once). Latencies are
 * recorded from autocannon's per-response timings rather than its 1 ms histogram, so p50 ratios of
 * fast targets are not rounded away. With `rate`, requests are sent at that many per second in all
 * (a target that cannot keep up falls behind), so every target does the same work per second.
 */
export async function runLoad(
  url: string,
  requests: PreparedRequest[],
  opts: { seconds: number; connections: number; rate?: number },
): Promise<Omit<LoadResult, 'upstreamPerRequest' | 'cpuMsPerRequest'>> {
  if (!requests.length) throw new Error(`no requests to send to ${url}`);
  const base = { 'content-type': 'application/json' };
  let next = 0;
  const rotating =
    requests.length > 1
      ? {
          requests: [
            {
              setupRequest: (req: { body?: string; headers?: Record<string, string> }) => {
                const r = requests[next++ % requests.length]!;
                req.body = r.body;
                req.headers = { ...base, ...r.headers };
                return req;
              },
            },
          ],
        }
      : { body: requests[0]!.body, headers: { ...base, ...requests[0]!.headers } };
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections: opts.connections,
        duration: opts.seconds,
        ...(opts.rate ? { overallRate: opts.rate } : {}),
        // The top-level key of a GraphQL error answer; inside string values quotes are escaped.
        verifyBody: (body: string) => !body.includes('"errors":'),
        ...rotating,
      } as autocannon.Options,
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: result.requests.average,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    graphqlErrors: result.mismatches,
  };
}

/** The median of `xs` (the upper one of an even count). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The medians of several rounds of one target. */
export function summarize(runs: LoadResult[]): LoadSummary {
  const rps = runs.map((r) => r.rps);
  const m = median(rps);
  const upstream = runs.map((r) => r.upstreamPerRequest).filter((u): u is number => u !== null);
  const cpu = runs.map((r) => r.cpuMsPerRequest).filter((u): u is number => u !== null);
  return {
    rps: m,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    requests: runs.reduce((s, r) => s + r.requests, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    graphqlErrors: runs.reduce((s, r) => s + r.graphqlErrors, 0),
    upstreamPerRequest: upstream.length ? median(upstream) : null,
    cpuMsPerRequest: cpu.length ? median(cpu) : null,
    runs,
    spread: m ? (Math.max(...rps) - Math.min(...rps)) / m : 0,
  };
}
