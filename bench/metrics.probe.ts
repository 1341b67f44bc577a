import { Client } from 'pg';

/** Sum of a metric (every label set; `filter` narrows the lines) on a service's /metrics. */
export async function metricSum(
  url: string,
  name: string,
  filter: (line: string) => boolean = () => true,
): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  return text
    .split('\n')
    .filter((l) => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && filter(l))
    .reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
}

/** GraphQL operations served so far by all the given subgraphs together. */
export async function subgraphOperations(urls: string[]): Promise<number> {
  return (await Promise.all(urls.map((u) => metricSum(u, 'graphql_operations_total')))).reduce((a, b) => a + b, 0);
}

/** SQL statements of the request path each subgraph ran for one execution of `send` (read from /metrics). */
export async function sqlPerOperation(
  subgraphUrls: Record<string, string>,
  subgraphs: string[],
  send: () => Promise<void>,
): Promise<Record<string, number>> {
  const read = (name: string) =>
    metricSum(subgraphUrls[name]!, 'db_statements_total', (l) => l.includes('origin="request"'));
  const readAll = async () =>
    Object.fromEntries(await Promise.all(subgraphs.map(async (n) => [n, await read(n)] as const)));
  // Requests of the previous load run may still be finishing: start from counters that stand still.
  let before = await readAll();
  for (let settled = 0; settled < 3;) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await readAll();
    settled = JSON.stringify(now) === JSON.stringify(before) ? settled + 1 : 0;
    before = now;
  }
  await send();
  return Object.fromEntries(await Promise.all(subgraphs.map(async (n) => [n, (await read(n)) - before[n]!] as const)));
}

/**
 * Waits until background work is over — every outbox is empty and no consumer has handled an
 * event for 5 s — so the measurements do not compete with it.
 */
export async function quiesce(urls: Record<string, string>): Promise<void> {
  const end = Date.now() + 10 * 60_000;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < end) {
    const total = async (metric: string) =>
      (await Promise.all(Object.values(urls).map((u) => metricSum(u, metric)))).reduce((a, b) => a + b, 0);
    const backlog = await total('outbox_backlog');
    const handled = await total('event_lag_seconds_count');
    if (backlog > 0 || handled !== last) {
      last = handled;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 5_000) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  console.warn('services still busy after 10 minutes; measuring anyway');
}

/** Drops one database named by a URL. */
export async function dropDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}
