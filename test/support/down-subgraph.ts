import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A subgraph that is down, for routers pointed at it: what it was asked, and how to stop it. */
export interface DownSubgraph {
  /** Its `/graphql` URL, for a router's `<NAME>_URL`. */
  url: string;
  /** Every request it got, in order: path and headers. */
  seen: { url?: string; headers: IncomingHttpHeaders }[];
  /** Router settings that make its failures countable: one retry per query, a breaker that stays closed. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts a subgraph that answers every request 503 and keeps what it was asked. */
export async function startDownSubgraph(): Promise<DownSubgraph> {
  const seen: DownSubgraph['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    req.resume();
    res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    seen,
    env: { SUBGRAPH_QUERY_RETRIES: '1', CIRCUIT_BREAKER_FAILURES: '50' },
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
