import { Writable } from 'node:stream';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, signIdentity } from '../../src/auth/identity';
import type { Database } from '../../src/db/database';
import { createLogger } from '../../src/logging/logger';
import { memoryDatabase, type SeenStatement } from '../db/memory.fixture';
import { createServiceMetrics } from '../../src/metrics/metrics';
import type { RequestContext } from '../../src/server/context';
import { startSubgraphServer, UNEXPECTED_RESOLVER_ERROR, type RunningSubgraph } from '../../src/server/subgraph.server';
import { FEDERATION_LINK } from '../../src/schema/federated-schema';
import { releaseIdleAsyncStorage } from '../../src/service/idle-async-storage';

const SECRET = 'subgraph-request-test-secret-of-32-bytes!';

/**
 * What a subgraph's request carries without a log scope: `ctx.log`, SQL origin, logged errors; a
 * subscription's resolvers get the same.
 */
describe('a subgraph request without a log scope', () => {
  const lines: Record<string, unknown>[] = [];
  const statements: SeenStatement[] = [];
  let children = 0; // child loggers made after start-up
  let db: Database;
  let server: RunningSubgraph;
  beforeAll(async () => {
    releaseIdleAsyncStorage(); // as runSubgraph does
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const log = createLogger('request-test', 'info', destination);
    const child = log.child.bind(log);
    log.child = ((...args: Parameters<typeof child>) => (children++, child(...args))) as typeof log.child;
    db = await memoryDatabase('request-test', log, statements);
    const schema = buildSubgraphSchema({
      typeDefs: parse(
        `${FEDERATION_LINK}\ntype Query { note: String, quiet: String, broken: String }\ntype Subscription { ticked: String }`,
      ),
      resolvers: {
        Query: {
          note: async (_: unknown, __: unknown, context: unknown) => {
            const ctx = context as RequestContext;
            await ctx.em.execute('select 1');
            ctx.log.info('noted');
            return 'ok';
          },
          quiet: () => 'ok',
          broken: () => {
            throw new Error('the secret internals');
          },
        },
        Subscription: {
          ticked: {
            async *subscribe(_: unknown, __: unknown, context: unknown) {
              const ctx = context as RequestContext;
              await ctx.em.execute('select 2');
              ctx.log.info('ticked');
              yield { ticked: 'tick' };
            },
          },
        },
      },
    });
    server = await startSubgraphServer({
      name: 'request-test',
      host: '127.0.0.1',
      port: 0,
      schema,
      db,
      signingSecret: SECRET,
      createLoaders: () => ({}),
      log,
      metrics: createServiceMetrics('request-test'),
    });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });

  const ask = async (query: string, correlationId: string) => {
    const identity = await signIdentity({ userId: 'user-7', role: 'USER' }, correlationId, SECRET);
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  };

  it('ctx.log carries the correlation id and user, made only for a request that logs; the SQL counts as the request’s', async () => {
    const before = children;
    expect(await ask('{ quiet }', 'corr-quiet-1')).toEqual({ data: { quiet: 'ok' } });
    expect(children).toBe(before);
    expect(await ask('{ note }', 'corr-note-1')).toEqual({ data: { note: 'ok' } });
    expect(children).toBe(before + 1);
    expect(lines.filter((l) => l.msg === 'noted')).toEqual([
      expect.objectContaining({ correlationId: 'corr-note-1', userId: 'user-7' }),
    ]);
    expect(statements.filter((s) => s.sql === 'select 1')).toEqual([{ sql: 'select 1', origin: 'request' }]);
  });

  it('an unexpected resolver error is hidden from the caller and logged with the correlation id', async () => {
    const answer = await ask('{ broken }', 'corr-broken-1');
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(answer)).not.toContain('secret internals');
    const logged = lines.filter((l) => l.msg === UNEXPECTED_RESOLVER_ERROR);
    expect(logged).toEqual([expect.objectContaining({ level: 'error', correlationId: 'corr-broken-1' })]);
    expect(JSON.stringify(logged[0])).toContain('the secret internals');
  });

  it('a subscription counts its SQL as the request’s and logs with the connection’s correlation id and user', async () => {
    const client = createClient({
      url: server.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      connectionParams: {
        [IDENTITY_HEADER]: await signIdentity({ userId: 'user-9', role: 'USER' }, 'corr-socket-1', SECRET),
      },
    });
    try {
      const received: unknown[] = [];
      await new Promise<void>((resolve, reject) =>
        client.subscribe(
          { query: 'subscription { ticked }' },
          { next: (r) => received.push(r), error: reject, complete: resolve },
        ),
      );
      expect(received).toEqual([{ data: { ticked: 'tick' } }]);
    } finally {
      await client.dispose();
    }
    expect(statements.filter((s) => s.sql === 'select 2')).toEqual([{ sql: 'select 2', origin: 'request' }]);
    expect(lines.filter((l) => l.msg === 'ticked')).toEqual([
      expect.objectContaining({ correlationId: 'corr-socket-1', userId: 'user-9' }),
    ]);
  });
});
