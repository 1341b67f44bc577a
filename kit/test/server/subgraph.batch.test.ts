import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORRELATION_HEADER, IDENTITY_HEADER, signIdentity, type Identity } from '../../src/auth/identity';
import type { Database } from '../../src/db/database';
import { createLogger } from '../../src/logging/logger';
import { memoryDatabase, type SeenStatement } from '../db/memory.fixture';
import { createServiceMetrics } from '../../src/metrics/metrics';
import type { RequestContext } from '../../src/server/context';
import { MAX_BATCH_REQUESTS, type BatchAnswer } from '../../src/server/subgraph.batch';
import { startSubgraphServer, type RunningSubgraph } from '../../src/server/subgraph.server';
import { FEDERATION_LINK } from '../../src/schema/federated-schema';

const SECRET = 'subgraph-batch-test-secret-of-32-bytes!!';

interface Loaders {
  noteById: DataLoader<string, string>;
}

/** `POST /graphql/batch`: queries of several callers in one request, each answered as alone. */
describe('a subgraph batch request', () => {
  const loads: string[][] = []; // the keys of every batch the loader ran
  const statements: SeenStatement[] = [];
  let db: Database;
  let server: RunningSubgraph;
  let batchUrl: string;
  beforeAll(async () => {
    const log = createLogger('batch-test', 'silent');
    db = await memoryDatabase('batch-test', log, statements);
    const schema = buildSubgraphSchema({
      typeDefs: parse(
        `${FEDERATION_LINK}\ntype Query { whoami: String, note(id: ID!): String }\ntype Mutation { touch: String }`,
      ),
      resolvers: {
        Query: {
          whoami: (_: unknown, __: unknown, context: unknown) => {
            const ctx = context as RequestContext<Loaders>;
            return `${ctx.identity.userId ?? 'anonymous'} ${ctx.correlationId}`;
          },
          note: (_: unknown, { id }: { id: string }, context: unknown) =>
            (context as RequestContext<Loaders>).loaders.noteById.load(id),
        },
        Mutation: { touch: () => 'touched' },
      },
    });
    server = await startSubgraphServer<Loaders>({
      name: 'batch-test',
      host: '127.0.0.1',
      port: 0,
      schema,
      db,
      signingSecret: SECRET,
      createLoaders: ({ em }) => ({
        noteById: new DataLoader(async (ids) => {
          loads.push([...ids]);
          await em.execute('select 1');
          return ids.map((id) => `note ${id}`);
        }),
      }),
      log,
      metrics: createServiceMetrics('batch-test'),
    });
    batchUrl = server.url.replace(/\/graphql$/, '/graphql/batch');
  });
  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });

  const headersFor = async (identity: Identity, correlationId: string) => ({
    'content-type': 'application/json',
    [IDENTITY_HEADER]: await signIdentity(identity, correlationId, SECRET),
    [CORRELATION_HEADER]: correlationId,
  });
  const alone = async (headers: Record<string, string>, body: unknown) => {
    const res = await fetch(server.url, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
  };
  const batch = async (requests: unknown, headers?: Record<string, string>) => {
    const res = await fetch(batchUrl, {
      method: 'POST',
      headers: headers ?? (await headersFor({}, 'batch-outer')),
      body: JSON.stringify(requests),
    });
    return {
      status: res.status,
      body: (await res.json()) as BatchAnswer[] & { errors?: { extensions: { code: string } }[] },
    };
  };

  it('answers each query as /graphql answers it alone, with its own identity, and loads their entities in one statement', async () => {
    const users = ['user-1', 'user-2', 'user-3'];
    const requests = await Promise.all(
      users.map(async (userId, i) => ({
        headers: await headersFor({ userId, role: 'USER' }, `corr-batch-${i}`),
        body: { query: 'query Q($id: ID!) { whoami note(id: $id) }', variables: { id: `n${i}` } },
      })),
    );
    loads.length = 0;
    statements.length = 0;
    const { status, body } = await batch(requests);
    expect(status).toBe(200);
    expect(loads).toEqual([['n0', 'n1', 'n2']]);
    expect(statements.filter((s) => s.sql === 'select 1')).toEqual([{ sql: 'select 1', origin: 'request' }]);
    expect(body.map((a) => JSON.parse(a.body))).toEqual(
      users.map((userId, i) => ({ data: { whoami: `${userId} corr-batch-${i}`, note: `note n${i}` } })),
    );
    for (const [i, request] of requests.entries()) {
      const own = await alone(request.headers, request.body);
      expect({ status: body[i]!.status, contentType: body[i]!.headers['content-type'], body: body[i]!.body }).toEqual(
        own,
      );
    }
  });

  it('answers a query without a valid signature 401 and a mutation 400, and runs the rest', async () => {
    const signed = await headersFor({ userId: 'user-1', role: 'USER' }, 'corr-ok');
    const forged = {
      ...signed,
      [IDENTITY_HEADER]: await signIdentity({ userId: 'admin' }, 'x', 'another-secret-of-32-bytes-length!!'),
    };
    const { status, body } = await batch([
      { headers: forged, body: { query: '{ whoami }' } },
      { headers: signed, body: { query: 'mutation { touch }' } },
      { headers: signed, body: { query: '{ whoami }' } },
      { headers: signed, body: { query: '{ nope }' } },
    ]);
    expect(status).toBe(200);
    expect(body.map((a) => a.status)).toEqual([401, 400, 200, 400]);
    const codes = body.map(
      (a) => (JSON.parse(a.body) as { errors?: { extensions: { code: string } }[] }).errors?.[0]?.extensions.code,
    );
    expect(codes).toEqual(['UNAUTHENTICATED', 'BAD_REQUEST', undefined, 'GRAPHQL_VALIDATION_FAILED']);
    expect(JSON.parse(body[2]!.body)).toEqual({ data: { whoami: 'user-1 corr-ok' } });
  });

  it('refuses a batch the router did not sign, one that is not a list of 1 to 32 requests, and other methods', async () => {
    const item = { headers: await headersFor({}, 'corr-item'), body: { query: '{ whoami }' } };
    const unsigned = await batch([item], { 'content-type': 'application/json' });
    expect([unsigned.status, unsigned.body.errors?.[0]?.extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    for (const wrong of [[], {}, [{ body: { query: '{ whoami }' } }], Array(MAX_BATCH_REQUESTS + 1).fill(item)]) {
      const refused = await batch(wrong);
      expect([refused.status, refused.body.errors?.[0]?.extensions.code]).toEqual([400, 'BAD_REQUEST']);
    }
    expect((await batch(Array(MAX_BATCH_REQUESTS).fill(item))).status).toBe(200);
    const get = await fetch(batchUrl);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
  });
});
