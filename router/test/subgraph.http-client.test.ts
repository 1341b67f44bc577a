import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphClient } from '../src/subgraph.http-client';

describe('the router→subgraph HTTP client', () => {
  let server: Server;
  let base: string;
  const clientPorts: number[] = [];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      clientPorts.push(req.socket.remotePort!);
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/slow') return; // never answers
        if (req.url === '/refuse') {
          res.writeHead(400, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'BAD_USER_INPUT' } }] }));
        }
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60, public' });
        res.end(JSON.stringify({ data: { echo: JSON.parse(body), header: req.headers['x-test'] } }));
      });
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const client = createSubgraphClient({ timeoutMs: 300 });

  it('posts the body with its headers and reads status, headers and JSON, on one kept-alive connection', async () => {
    const init = {
      method: 'POST',
      headers: { 'x-test': 'yes', 'content-type': 'application/json' },
      body: '{"a":"é"}',
    };
    const first = await client(`${base}/graphql`, init);
    const second = await client(`${base}/graphql`, { ...init, headers: new Map(Object.entries(init.headers)) });
    expect(first.ok).toBe(true);
    expect(first.status).toBe(200);
    expect(first.headers.get('Cache-Control')).toBe('max-age=60, public');
    expect(first.headers.get('x-absent')).toBeNull();
    expect(await first.json()).toEqual({ data: { echo: { a: 'é' }, header: 'yes' } });
    expect(await second.json()).toEqual({ data: { echo: { a: 'é' }, header: 'yes' } });
    expect(clientPorts.at(-1)).toBe(clientPorts.at(-2));
  });

  it('answers a refusal as not ok, with its body', async () => {
    const refused = await client(`${base}/refuse`, { method: 'POST', headers: {}, body: '{}' });
    expect(refused.ok).toBe(false);
    expect(refused.status).toBe(400);
    expect(JSON.parse(await refused.text()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('fails a request that outlives the timeout, saying it timed out', async () => {
    await expect(client(`${base}/slow`, { method: 'POST', headers: {}, body: '{}' })).rejects.toThrow(/timed out/);
  });

  it('fails at once when nothing listens', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    await expect(
      client(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: {}, body: '{}' }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
