import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsRawData, RawData } from '../src/raw-data';
import { SignedDataSource } from '../src/signed.datasource';

describe("the signed data source's answers", () => {
  let server: Server;
  let source: SignedDataSource;
  const answers: Record<string, string> = {
    '{ plain }': '{"data":{"plain":{"id":"1","name":"é"}}}\n',
    '{ failing }': '{"errors":[{"message":"no","extensions":{"code":"NOT_FOUND"}}],"data":{"failing":null}}\n',
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const query = (JSON.parse(body) as { query: string }).query;
        if (query === '{ down }') return void res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
        if (query === '{ refused }') return void res.writeHead(403, { 'content-type': 'text/plain' }).end('no');
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(answers[query]);
      });
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const resilience = { timeoutMs: 1_000, queryRetries: 0, retryBaseMs: 10, breakerFailures: 5, breakerOpenMs: 1_000 };
    source = new SignedDataSource('cases', url, 'a-secret-of-at-least-32-characters!!', resilience);
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const fetchOf = (query: string, raw: boolean) => {
    const request = { query };
    if (raw) acceptsRawData.add(request);
    const context = { identity: {}, correlationId: 'raw-data-test' };
    return source.process({ kind: 'incoming operation', request, context } as never);
  };

  it('hands a sender that accepts it the text of an answer that is only data, unparsed; others the parsed answer', async () => {
    const raw = await fetchOf('{ plain }', true);
    expect(raw.data).toBeInstanceOf(RawData);
    expect((raw.data as unknown as RawData).json).toBe('{"plain":{"id":"1","name":"é"}}');
    const parsed = await fetchOf('{ plain }', false);
    expect(parsed.data).toEqual({ plain: { id: '1', name: 'é' } });
  });

  it('parses an answer with errors even for a sender that accepts raw data', async () => {
    const answer = await fetchOf('{ failing }', true);
    expect(answer.data).toEqual({ failing: null });
    expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('words a 5xx answer as the subgraph being unavailable, and leaves other HTTP errors as the gateway words them', async () => {
    const down = await fetchOf('{ down }', true).catch((err: GraphQLError) => err);
    expect(down).toBeInstanceOf(GraphQLError);
    expect((down as GraphQLError).extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'cases' });
    expect((down as GraphQLError).message).toBe(
      'The cases service is unavailable (it answered 503). Try again shortly.',
    );
    const refused = await fetchOf('{ refused }', true).catch((err: GraphQLError) => err);
    expect((refused as GraphQLError).message).toBe('403: Forbidden');
  });

  it('shares one fetch between identical requests in flight only when both take the same form', async () => {
    const [raw, parsed, rawAgain] = await Promise.all([
      fetchOf('{ plain }', true),
      fetchOf('{ plain }', false),
      fetchOf('{ plain }', true),
    ]);
    expect(raw.data).toBeInstanceOf(RawData);
    expect(rawAgain.data).toBe(raw.data);
    expect(parsed.data).toEqual({ plain: { id: '1', name: 'é' } });
  });
});
