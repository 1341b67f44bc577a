import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPaced } from '../paced.load';

describe('runPaced', () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];
  beforeAll(async () => {
    // Answers per body: "fail" → 500, "graphql-error" → 200 with errors, else 200 with data.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push(body);
        const kind = (JSON.parse(body) as { kind: string }).kind;
        res.statusCode = kind === 'fail' ? 500 : 200;
        res.setHeader('content-type', 'application/json');
        res.end(kind === 'graphql-error' ? '{"data":null,"errors":[{"message":"no"}]}' : '{"data":{"ok":true}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('sends rate × seconds requests in rotation and counts what came back', async () => {
    const requests = ['ok', 'fail', 'graphql-error', 'ok'].map((kind) => ({
      body: JSON.stringify({ kind }),
      headers: { 'x-test': kind },
    }));
    seen.length = 0;
    const result = await runPaced(url, requests, { seconds: 0.4, rate: 50, connections: 4 });
    expect(result.requests).toBe(20);
    expect(seen).toHaveLength(20);
    // Rotation gives each input its share; the order of arrival over four connections is the
    // scheduler's (a late timer sends the requests it owes at once), so it is not asserted.
    const kinds = seen.map((b) => (JSON.parse(b) as { kind: string }).kind);
    const count = (kind: string) => kinds.filter((k) => k === kind).length;
    expect([count('ok'), count('fail'), count('graphql-error')]).toEqual([10, 5, 5]);
    expect(result.errors).toBe(5);
    expect(result.graphqlErrors).toBe(5);
    expect(result.rate).toBe(50);
    expect(result.p50).toBeGreaterThan(0);
    expect(result.p99).toBeGreaterThanOrEqual(result.p50);
  });

  it('counts a refused connection as an error for every request', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runPaced(`http://127.0.0.1:${port}/`, [{ body: '{}', headers: {} }], {
      seconds: 0.1,
      rate: 50,
      connections: 2,
    });
    expect(result).toMatchObject({ requests: 5, errors: 5, graphqlErrors: 0, p50: 0 });
  });
});
