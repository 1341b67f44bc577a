import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile, type PreparedRequest } from './load';

/** One paced run against one target: latencies at a rate every target keeps up with. */
export interface PacedResult {
  /** Requests sent per second, as scheduled. */
  rate: number;
  /** Latency of 2xx answers, ms, from the moment each request was handed to the HTTP client. */
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx answers and connection errors. */
  errors: number;
  /** Answers whose body carries a GraphQL `errors` entry. */
  graphqlErrors: number;
}

/**
 * Sends `requests` in rotation at `rate` per second, evenly spaced, for `seconds`, whether or not
 * earlier ones have been answered (an open loop, at most `connections` keep-alive sockets). Unlike
 * a closed loop kept busy, where p50 follows throughput, this measures what a target adds to a
 * request's time when it is not saturated. Each latency counts from when the request was handed
 * to the client: waiting for a free connection behind a target that falls behind is charged, the
 * load generator's own timer lateness (up to a millisecond, the same for every target) is not.
 * autocannon's `overallRate` is no substitute: it sends each second's requests in a burst at its start.
 */
export async function runPaced(
  url: string,
  requests: PreparedRequest[],
  opts: { seconds: number; rate: number; connections: number },
): Promise<PacedResult> {
  if (!requests.length) throw new Error(`no requests to send to ${url}`);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const total = Math.max(1, Math.round(opts.seconds * opts.rate));
  const interval = 1000 / opts.rate;
  const latencies: number[] = [];
  let errors = 0;
  let graphqlErrors = 0;
  try {
    await new Promise<void>((resolve) => {
      let fired = 0;
      let settled = 0;
      const settle = () => ++settled === total && resolve();
      const fire = (prepared: PreparedRequest) => {
        const sent = performance.now();
        const req = request(
          url,
          { method: 'POST', agent, headers: { 'content-type': 'application/json', ...prepared.headers } },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => {
              const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
              if (ok) latencies.push(performance.now() - sent);
              else errors++;
              // The top-level key of a GraphQL error answer; inside string values quotes are escaped.
              if (body.includes('"errors":')) graphqlErrors++;
              settle();
            });
          },
        );
        req.on('error', () => {
          errors++;
          settle();
        });
        req.end(prepared.body);
      };
      const start = performance.now();
      const tick = () => {
        const now = performance.now();
        for (; fired < total && start + fired * interval <= now; fired++) fire(requests[fired % requests.length]!);
        if (fired < total) setTimeout(tick, Math.max(0, start + fired * interval - performance.now()));
      };
      tick();
    });
  } finally {
    agent.destroy();
  }
  const sorted = Float64Array.from(latencies).sort();
  return {
    rate: opts.rate,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    requests: total,
    errors,
    graphqlErrors,
  };
}
