import { Client } from 'pg';

/** Sum of a metric (every label set; `filter` narrows the lines) on a service's /metrics. */
export async function metricSum(
  url: string,
  name: string,
  filter: (line: string) => boolean = () => true,
): Promise<number> {
  return sumOf(await metricLines(url), name, filter);
}

const metricLines = async (url: string) => (await (await fetch(new URL('/metrics', url))).text()).split('\n');

function sumOf(lines: string[], name: string, filter: (line: string) => boolean = () => true): number {
  return lines
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
 * Share of one core that all the services together may use and still count as idle. A V8 CPU
 * profiler (`CPU_PROFILE_DIR`) samples in a thread of each process, about 0.03 of a core apiece
 * at rest, so profiled services idle at about 0.25 cores.
 */
const IDLE_CORES = process.env.CPU_PROFILE_DIR ? 0.35 : 0.15;

/**
 * Waits until background work is over (every outbox empty, no consumer has handled an event for
 * 5 s, and the services together used under {@link IDLE_CORES} of a core in each second of those
 * 5 s), so the measurements do not compete with it. The CPU condition catches work that neither
 * counter shows: the notifications subgraph sending the seeded alerts, retries, a recompute.
 */
export async function quiesce(urls: Record<string, string>): Promise<void> {
  const start = Date.now();
  const end = start + 10 * 60_000;
  const read = async () => {
    // One scrape per service and second: a scrape costs a service several milliseconds of CPU.
    const scraped = await Promise.all(Object.values(urls).map(metricLines));
    const sum = (name: string) => scraped.reduce((s, lines) => s + sumOf(lines, name), 0);
    return {
      at: Date.now(),
      backlog: sum('outbox_backlog'),
      handled: sum('event_lag_seconds_count'),
      cpu: sum('process_cpu_seconds_total'),
    };
  };
  let previous = await read();
  let stableSince = Date.now();
  let cores = 0;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await read();
    cores = (now.cpu - previous.cpu) / ((now.at - previous.at) / 1000);
    if (now.backlog > 0 || now.handled !== previous.handled || cores > IDLE_CORES) stableSince = Date.now();
    else if (Date.now() - stableSince >= 5_000) {
      console.log(`  idle after ${((Date.now() - start) / 1000).toFixed(0)} s (${cores.toFixed(2)} cores)`);
      return;
    }
    previous = now;
  }
  console.warn(`services still busy after 10 minutes (${cores.toFixed(2)} cores); measuring anyway`);
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
