import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SubgraphBatcher, batchUrlOf, type BatchOptions } from '../src/subgraph.batcher';
import { createSubgraphClient } from '../src/subgraph.http-client';

interface Received {
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A subgraph speaking the batch protocol: each query answered with its own header and variables; `mode` bends it. */
let mode: 'batches' | 'no batch endpoint' | 'down' | 'short answer' = 'batches';
const received: Received[] = [];

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  received.push({ url: req.url, headers: req.headers, body });
  const json = (status: number, text: string): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'max-age=5' }).end(text);
  };
  if (req.url === '/graphql') {
    const { variables } = JSON.parse(body) as { variables: { n: number } };
    return json(200, JSON.stringify({ data: { n: variables.n, who: req.headers['x-router-identity'] } }));
  }
  if (mode === 'no batch endpoint') return json(404, '{"errors":[{"message":"Nothing here"}]}');
  if (mode === 'down') return json(503, '{"errors":[{"message":"draining"}]}');
  const items = JSON.parse(body) as { headers: Record<string, string>; body: { variables: { n: number } } }[];
  const answers = items.map((item) => ({
    status: item.body.variables.n < 0 ? 400 : 200,
    headers: { 'content-type': 'application/json', 'cache-control': `max-age=${item.body.variables.n}` },
    body: JSON.stringify({ data: { n: item.body.variables.n, who: item.headers['x-router-identity'] } }),
  }));
  json(200, JSON.stringify(mode === 'short answer' ? answers.slice(1) : answers));
}

describe('SubgraphBatcher', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => answer(req, res, Buffer.concat(chunks).toString()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    mode = 'batches';
    received.length = 0;
  });

  const batcher = (options: Partial<BatchOptions> = {}) =>
    new SubgraphBatcher(createSubgraphClient({ timeoutMs: 2_000 }), url, async (ids) => `batch-signature ${ids}`, {
      maxRequests: 8,
      windowMs: 0,
      ...options,
    });
  const query = (n: number) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-router-identity': `caller-${n}`, 'x-correlation-id': `c${n}` },
    body: JSON.stringify({ query: 'query N($n: Int) { n }', variables: { n } }),
  });
  const read = async (r: Awaited<ReturnType<SubgraphBatcher['send']>>) => ({
    status: r.status,
    cacheControl: r.headers.get('Cache-Control'),
    body: JSON.parse(await r.text()) as unknown,
  });

  it('sends the queries sent together as one batch, each with its own headers, and hands each its own answer', async () => {
    const b = batcher();
    const answers = await Promise.all([1, 2, -3].map((n) => b.send(query(n))));
    expect(received.map((r) => r.url)).toEqual(['/graphql/batch']);
    expect(received[0]!.headers['x-router-identity']).toBe('batch-signature c1,c2,c-3');
    expect(received[0]!.headers['x-correlation-id']).toBe('c1,c2,c-3');
    const items = JSON.parse(received[0]!.body) as { headers: Record<string, string>; body: unknown }[];
    expect(items.map((i) => i.headers['x-router-identity'])).toEqual(['caller-1', 'caller-2', 'caller--3']);
    expect(items[0]!.body).toEqual({ query: 'query N($n: Int) { n }', variables: { n: 1 } });
    expect(await Promise.all(answers.map(read))).toEqual([
      { status: 200, cacheControl: 'max-age=1', body: { data: { n: 1, who: 'caller-1' } } },
      { status: 200, cacheControl: 'max-age=2', body: { data: { n: 2, who: 'caller-2' } } },
      { status: 400, cacheControl: 'max-age=-3', body: { data: { n: -3, who: 'caller--3' } } },
    ]);
    expect(answers.map((a) => [a.ok, a.statusText])).toEqual([
      [true, 'OK'],
      [true, 'OK'],
      [false, 'Bad Request'],
    ]);
  });

  it('sends a query alone when nothing is sent with it, and splits what exceeds the most per batch', async () => {
    const b = batcher({ maxRequests: 2 });
    await read(await b.send(query(1)));
    await Promise.all([1, 2, 3].map((n) => b.send(query(n))));
    expect(received.map((r) => r.url).sort()).toEqual(['/graphql', '/graphql', '/graphql/batch']);
  });

  it('waits the window for queries sent apart when it has one', async () => {
    const b = batcher({ windowMs: 50 });
    const first = b.send(query(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all([first, b.send(query(2))]);
    expect(received.map((r) => r.url)).toEqual(['/graphql/batch']);
  });

  it('sends every query alone, for a while, to a subgraph without the batch endpoint', async () => {
    mode = 'no batch endpoint';
    const b = batcher();
    const first = await Promise.all([1, 2].map((n) => b.send(query(n))));
    expect(await read(first[1]!)).toEqual({
      status: 200,
      cacheControl: 'max-age=5',
      body: { data: { n: 2, who: 'caller-2' } },
    });
    expect(b.batches).toBe(false);
    await Promise.all([3, 4].map((n) => b.send(query(n))));
    expect(received.map((r) => r.url)).toEqual(['/graphql/batch', '/graphql', '/graphql', '/graphql', '/graphql']);
  });

  it('answers each query with a batch refused whole, and fails each when the answer is not one per query', async () => {
    const b = batcher();
    mode = 'down';
    const refused = await Promise.all([1, 2].map((n) => b.send(query(n))));
    expect(refused.map((r) => r.status)).toEqual([503, 503]);
    mode = 'short answer';
    const failed = await Promise.allSettled([1, 2].map((n) => b.send(query(n))));
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
  });

  it('fails each query of a batch the network failed', async () => {
    const nowhere = new SubgraphBatcher(
      createSubgraphClient({ timeoutMs: 2_000 }),
      'http://127.0.0.1:1/graphql',
      async () => 'signature',
      { maxRequests: 8, windowMs: 0 },
    );
    const failed = await Promise.allSettled([1, 2].map((n) => nowhere.send(query(n))));
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
  });

  it('finds the batch endpoint next to /graphql', () => {
    expect(batchUrlOf('http://users:4001/graphql')).toBe('http://users:4001/graphql/batch');
    expect(batchUrlOf('http://gw/users/graphql?x=1')).toBe('http://gw/users/graphql/batch?x=1');
  });
});
