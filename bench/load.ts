import autocannon from 'autocannon';

/** One measured load run. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Median figures of several runs, and how far apart the runs were. */
export interface LoadSummary extends LoadResult {
  runs: LoadResult[];
  /** (max − min) / median of requests per second, over the runs. */
  spread: number;
}

/** What one load run sends: a POST of a JSON body to a URL. */
export interface LoadTarget {
  url: string;
  body: string;
  headers?: Record<string, string>;
  /** Fresh headers per run (e.g. a signature that expires). */
  freshHeaders?: () => Promise<Record<string, string>>;
}

/** Runs `target` `runs` times for `seconds` with `connections` and returns the medians. */
export async function measure(target: LoadTarget, opts: { runs: number; seconds: number; connections: number }): Promise<LoadSummary> {
  const runs: LoadResult[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const headers = { 'content-type': 'application/json', ...target.headers, ...(await target.freshHeaders?.()) };
    const r = await autocannon({ url: target.url, method: 'POST', body: target.body, headers, connections: opts.connections, duration: opts.seconds });
    runs.push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rps = runs.map((r) => r.rps);
  const m = median(rps);
  return {
    rps: m,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    runs,
    spread: m ? (Math.max(...rps) - Math.min(...rps)) / m : 0,
  };
}
