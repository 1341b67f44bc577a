/**
 * What the services' event consumers did, read from each subgraph's `/metrics`, so a test can ask
 * whether input that a mutation accepted later broke a consumer. Every consumer runs its handler
 * through the kit's `consume()`, in one transaction with its `processed_event` row: a handler that
 * throws rolls that transaction back (and the bus redelivers the event). So
 * `db_statements_total{origin="event",verb="rollback"}` counts failed event deliveries, on both
 * topologies, and `db_statements_total{origin="event"}` stops growing once the consumers are idle.
 */

/** Per subgraph: the event-origin SQL statements it sent, all and rolled back, and its outbox backlog. */
export interface ConsumerCounts {
  statements: number;
  rollbacks: number;
  backlog: number;
}

/** The value of each sample of `name` in a Prometheus text page, with its labels. */
function samples(text: string, name: string): { labels: string; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => ({ labels: line.slice(name.length, line.lastIndexOf(' ')), value: Number(line.split(' ').at(-1)) }));
}

/** The consumer figures of every subgraph in `urls` (name → base URL). */
export async function consumerCounts(urls: Record<string, string>): Promise<Record<string, ConsumerCounts>> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      const text = await (await fetch(new URL('/metrics', url))).text();
      const events = samples(text, 'db_statements_total').filter((s) => s.labels.includes('origin="event"'));
      const sum = (list: { value: number }[]) => list.reduce((total, s) => total + s.value, 0);
      return [
        name,
        {
          statements: sum(events),
          rollbacks: sum(events.filter((s) => s.labels.includes('verb="rollback"'))),
          backlog: sum(samples(text, 'outbox_backlog')),
        },
      ] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * Waits until every outbox is empty and the consumers have been idle for `quietMs` (no event
 * statement anywhere between two readings), at most `timeoutMs`; resolves with the last figures.
 * A failing event's redeliveries keep it from settling only while they come quicker than
 * `quietMs`: a failure is counted at its first delivery, so the caller judges it either way.
 */
export async function settledConsumers(
  urls: Record<string, string>,
  { quietMs = 1_500, timeoutMs = 60_000 } = {},
): Promise<Record<string, ConsumerCounts>> {
  const deadline = Date.now() + timeoutMs;
  let last = await consumerCounts(urls);
  for (;;) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = await consumerCounts(urls);
    const quiet = Object.entries(now).every(([name, c]) => c.backlog === 0 && c.statements === last[name]?.statements);
    if (quiet || Date.now() > deadline) return now;
    last = now;
  }
}

/** "<subgraph>: n" for each subgraph whose rolled-back event transactions grew from `before` to `after`. */
export function failedDeliveries(
  before: Record<string, ConsumerCounts>,
  after: Record<string, ConsumerCounts>,
): string[] {
  return Object.entries(after)
    .map(([name, c]) => [name, c.rollbacks - (before[name]?.rollbacks ?? 0)] as const)
    .filter(([, grown]) => grown > 0)
    .map(([name, grown]) => `${name}: ${grown}`);
}
