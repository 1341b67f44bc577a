import { performance } from 'node:perf_hooks';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { AlertRaisedDocument } from '../operations/generated/graphql';

/** Latency from a ReportCase mutation being sent to each subscriber receiving its alert. */
export interface FanoutResult {
  subscribers: number;
  events: number;
  delivered: number;
  p50: number;
  p99: number;
  max: number;
  /** Slowest delivery of each event, in the order they were sent (ms). */
  slowestPerEvent: number[];
}

const REPORT = 'mutation($input: ReportCaseInput!) { reportCase(input: $input) { id } }';

/**
 * Opens `subscribers` graphql-ws clients on the router, all subscribed to AlertRaised, then reports
 * `events` cases one after another and measures, for every (subscriber, event) pair, the time from
 * sending the mutation to the alert (with its case fields resolved from cases) reaching the client.
 * The path measured: mutation → outbox → relay → Redis Streams → notifications consumer → Redis
 * pub/sub → notifications subscription → router (case fields from cases) → 1,000 sockets.
 */
export async function benchFanout(opts: {
  routerUrl: string;
  token: string;
  subscribers: number;
  events: number;
}): Promise<FanoutResult> {
  const wsUrl = opts.routerUrl.replace(/^http/, 'ws');
  const received = new Map<string, number[]>(); // case id → receive times
  const clients: Client[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < opts.subscribers; i++) {
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
    clients.push(client);
    ready.push(new Promise((resolve) => client.on('connected', () => resolve())));
    client.subscribe<{ alertRaised: { case: { id: string } } }>(
      { query: print(AlertRaisedDocument) },
      {
        next: (r) => {
          const id = r.data?.alertRaised.case.id;
          if (id) (received.get(id) ?? received.set(id, []).get(id)!).push(performance.now());
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }
  try {
    await Promise.all(ready);
    await new Promise((r) => setTimeout(r, 2_000)); // let every subscription reach the upstream
    const latencies: number[] = [];
    const slowestPerEvent: number[] = [];
    for (let i = 0; i < opts.events; i++) {
      const sent = performance.now();
      const res = await fetch(opts.routerUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
        body: JSON.stringify({
          query: REPORT,
          variables: {
            input: {
              childName: `Fanout ${i}`,
              age: 6,
              gender: 'UNKNOWN',
              description: 'Fan-out benchmark case.',
              lastSeenAt: new Date(Date.now() - 60_000).toISOString(),
              lastSeenPlace: 'Lyon',
              location: { lat: 45.76, lng: 4.84 },
              contactPhone: '+33 6 12 34 56 78',
            },
          },
        }),
      });
      const id = ((await res.json()) as { data: { reportCase: { id: string } } }).data.reportCase.id;
      const end = Date.now() + 30_000;
      while ((received.get(id)?.length ?? 0) < opts.subscribers && Date.now() < end)
        await new Promise((r) => setTimeout(r, 20));
      const times = (received.get(id) ?? []).map((t) => t - sent);
      latencies.push(...times);
      slowestPerEvent.push(times.length ? Math.max(...times) : NaN);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    return {
      subscribers: opts.subscribers,
      events: opts.events,
      delivered: latencies.length,
      p50: at(0.5),
      p99: at(0.99),
      max: latencies.at(-1) ?? NaN,
      slowestPerEvent,
    };
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
  }
}
