import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '@supergraph/kit';
import { loadConfig as loadRouterConfig } from '../../router/src/config';
import { start as startRouter, type RunningRouter } from '../../router/src/server';
import { loadConfig as loadUsersConfig } from '../../subgraphs/users/src/config';
import { JWKS_PATH, start as startUsers } from '../../subgraphs/users/src/server';
import { uniqueEmail } from '../support/client';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
}

/** OTLP/JSON ids are hex; accept base64 as well. */
const hex = (id: string | undefined) =>
  !id ? undefined : /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');

/** A local OTLP/HTTP trace receiver (JSON encoding, as the exporter sends it). */
async function startReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; server: Server }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const doc = JSON.parse(body) as {
          resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, any>> }> }>;
        };
        for (const rs of doc.resourceSpans) {
          for (const ss of rs.scopeSpans) {
            for (const s of ss.spans) {
              const attributes = Object.fromEntries(
                (s.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [
                  a.key,
                  Object.values(a.value)[0],
                ]),
              );
              spans.push({
                traceId: hex(s.traceId)!,
                spanId: hex(s.spanId)!,
                parentSpanId: hex(s.parentSpanId) || undefined,
                name: s.name,
                attributes,
              });
            }
          }
        }
      }
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

describe('distributed tracing (OpenTelemetry over OTLP/HTTP)', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let users: RunningService;
  let router: RunningRouter;

  beforeAll(async () => {
    receiver = await startReceiver();
    users = await startUsers(
      loadUsersConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: ':memory:',
        PORT: '0',
        SEED: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      }),
    );
    router = await startRouter(
      loadRouterConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: '0',
        USERS_URL: users.url,
        JWKS_URL: users.url.replace('/graphql', JWKS_PATH),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        RESPONSE_CACHE: 'false', // every query below executes
      }),
    );
  });
  let stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    await router?.stop();
    await users?.stop();
  };
  afterAll(async () => {
    await stopAll();
    receiver?.server.close();
  });

  it("continues the client's trace through the router into the subgraph", async () => {
    const send = (traceId: string, body: unknown) =>
      fetch(router.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${'b2'.repeat(8)}-01` },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ data?: unknown; errors?: unknown }>);
    const mutationTrace = 'a1'.repeat(16);
    const signUp = await send(mutationTrace, {
      query: 'mutation SignUp($input: SignUpInput!) { signUp(input: $input) { user { id } } }',
      variables: { input: { email: uniqueEmail('trace'), password: 'correct-horse-7', displayName: 'Tracy' } },
    });
    expect(signUp.errors).toBeUndefined();
    // A query planned as one fetch: the first request plans it, the second takes the single-fetch shortcut.
    const WhoAmI = { query: 'query WhoAmI { __typename me { id } }' };
    await send('d4'.repeat(16), WhoAmI);
    const queryTrace = 'e5'.repeat(16);
    expect(await send(queryTrace, WhoAmI)).toEqual({ data: { __typename: 'Query', me: null } });
    // Stopping flushes every buffered span.
    await stopAll();

    const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);
    const parentOf = (traceId: string, span: ReceivedSpan | undefined) =>
      inTrace(traceId).find((s) => s.spanId === span?.parentSpanId);
    // The gateway names the operation it sends to a subgraph after the client's (SignUp__users__0).
    const subgraphSpan = inTrace(mutationTrace).find(
      (s) => s.name.startsWith('graphql mutation SignUp') && s.attributes['supergraph.service'] === 'users',
    );
    expect(subgraphSpan).toBeDefined();
    // Its parent is the router's fetch to users; the router's request span hangs off the client's span.
    expect(parentOf(mutationTrace, subgraphSpan)?.name).toBe('gateway.fetch');
    expect(inTrace(mutationTrace).find((s) => s.name === 'gateway.request')?.parentSpanId).toBe('b2'.repeat(8));
    // The shortcut's fetch span sits where the gateway's spans would, between the client and the subgraph.
    const served = inTrace(queryTrace).find((s) => s.name.startsWith('graphql query WhoAmI'));
    const shortcutSpan = parentOf(queryTrace, served);
    expect(shortcutSpan?.name).toBe('router.single_fetch');
    expect(shortcutSpan?.attributes['supergraph.subgraph']).toBe('users');
    expect(shortcutSpan?.parentSpanId).toBe('b2'.repeat(8));
  });
});
