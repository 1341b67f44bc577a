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
        if (req.url === '/late') return void setTimeout(() => res.end('{"data":{}}'), 150);
        if (req.url === '/refuse') {
          res.writeHead(400, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'BAD_USER_INPUT' } }] }));
        }
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60, public' });
        res.end(
          JSON.stringify({
            data: { echo: JSON.parse(body), header: req.headers['x-test'], authorization: req.headers.authorization },
          }),
        );
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

  it('posts the body with its headers and reads status, headers and JSON, on kept-alive connections', async () => {
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
    // A request sent as soon as the previous one resolved may find its connection not yet released
    // (undici frees it just after the answer's end), so requests in a row alternate between two.
    const before = clientPorts.length;
    for (let i = 0; i < 10; i++) await client(`${base}/graphql`, init);
    expect(new Set(clientPorts.slice(before)).size).toBeLessThanOrEqual(2);
  });

  it('sends the credentials of a URL with a user as basic authorization', async () => {
    const answer = await client(`http://sub:p%40ss@${base.slice('http://'.length)}/auth`, {
      method: 'POST',
      headers: {},
      body: '{}',
    });
    expect((await answer.json()) as unknown).toMatchObject({ data: { authorization: 'Basic c3ViOnBAc3M=' } });
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

  it('times out a request still waiting for a connection, and serves the next one', async () => {
    const single = createSubgraphClient({ timeoutMs: 300, maxSockets: 1 });
    const held = single(`${base}/slow`, { method: 'POST', headers: {}, body: '{}' });
    // Its deadline falls a moment after the held one's, which frees the connection. Should it be sent
    // in that moment, /late still answers after its deadline: it fails on time either way, never answered.
    const queued = single(`${base}/late`, { method: 'POST', headers: {}, body: '{"q":1}' });
    await expect(held).rejects.toThrow(/timed out/);
    await expect(queued).rejects.toThrow(/timed out/);
    const next = await single(`${base}/graphql`, { method: 'POST', headers: {}, body: '{"q":2}' });
    expect(await next.json()).toMatchObject({ data: { echo: { q: 2 } } });
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
