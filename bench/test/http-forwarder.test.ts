import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPeer, type PeerProcess } from '../peers/peer.process';

describe('the bare HTTP forwarder (bench reference)', () => {
  let upstream: Server;
  let forwarder: PeerProcess;
  const seen: { url?: string; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    // Plays a subgraph: answers a query signed "ok", refuses anything else with 401, as ours do.
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ url: req.url, headers: req.headers, body });
        const signed = req.headers['x-router-identity'] === 'ok';
        res.statusCode = signed ? 200 : 401;
        res.setHeader('content-type', 'application/graphql-response+json; charset=utf-8');
        res.end(signed ? '{"data":{"__typename":"Query"}}' : '{"errors":[{"message":"unsigned"}]}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    forwarder = await startPeer(
      'forwarder',
      'http-forwarder.server.ts',
      { FORWARD_URLS: JSON.stringify({ users: `http://127.0.0.1:${port}/graphql` }) },
      { path: '/users', headers: { 'x-router-identity': 'ok' } },
    );
  }, 60_000);
  afterAll(async () => {
    await forwarder?.stop();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('passes the body and the identity to the subgraph, and its answer back as it came', async () => {
    seen.length = 0;
    const body = '{"query":"{ __typename }","variables":{"x":"é"}}';
    const res = await fetch(`${forwarder.origin}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-router-identity': 'ok', authorization: 'Bearer dropped' },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    expect(await res.text()).toBe('{"data":{"__typename":"Query"}}');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ url: '/graphql', body });
    expect(seen[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'x-router-identity': 'ok' });
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it("passes a refusal's status on, and answers 404 for a subgraph it does not know", async () => {
    const refused = await fetch(`${forwarder.origin}/users`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toBe('{"errors":[{"message":"unsigned"}]}');
    const unknown = await fetch(`${forwarder.origin}/cases`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
  });
});
