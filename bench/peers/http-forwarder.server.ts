/**
 * A bench reference in its own process: a bare HTTP forwarder. `POST /<subgraph>` is sent on, body
 * and headers as they came (content type, the signed identity), to that subgraph's URL from
 * FORWARD_URLS (a JSON object of name → URL), and the subgraph's status, content type and body
 * are passed back. No GraphQL, no token check, no signing, no metrics: one HTTP request in and one
 * out on a keep-alive undici pool, the part of a request every gateway pays. The least a hop adds
 * on this machine, measured beside the gateways. Listens on a free loopback port and reports it.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { reportPort } from './peer.identity';

/** The request headers passed on: what the subgraphs read. */
const FORWARDED = ['content-type', 'accept', 'x-router-identity', 'x-correlation-id'];

function upstreams(): Map<string, { pool: Pool; path: string }> {
  const urls = JSON.parse(process.env.FORWARD_URLS ?? '{}') as Record<string, string>;
  if (!Object.keys(urls).length) throw new Error('FORWARD_URLS names no subgraph');
  return new Map(
    Object.entries(urls).map(([name, url]) => {
      const parsed = new URL(url);
      return [`/${name}`, { pool: new Pool(parsed.origin, { connections: 128 }), path: parsed.pathname }];
    }),
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function main(): void {
  const routes = upstreams();
  const server = createServer((req, res) => {
    const route = req.method === 'POST' ? routes.get(req.url ?? '') : undefined;
    if (!route) {
      req.resume();
      res.statusCode = 404;
      return void res.end();
    }
    void (async () => {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const name of FORWARDED) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await route.pool.request({ method: 'POST', path: route.path, headers, body });
      const text = await answer.body.text();
      res.statusCode = answer.statusCode;
      const type = answer.headers['content-type'];
      if (typeof type === 'string') res.setHeader('content-type', type);
      res.end(text);
    })().catch((err: unknown) => {
      console.error(err);
      if (!res.headersSent) res.statusCode = 502;
      res.end();
    });
  });
  server.listen(0, '127.0.0.1', () => reportPort((server.address() as AddressInfo).port));
}

main();
