import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import { createLogger } from '@supergraph/kit';
import { valueCompletionPlugin } from '../../src/resilience/value-completion.plugin';

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Zone { id: ID! score: Float! }
  type Query { zones: [Zone!]! }
`;

/** A subgraph that breaks the schema without an error: `score` comes back null. */
function brokenSubgraph(): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { zones: [{ id: 'z1', score: null }] } }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('value completion reports become errors', () => {
  let subgraph: Server;
  let plain: ApolloServer;
  let guarded: ApolloServer;

  beforeAll(async () => {
    subgraph = await brokenSubgraph();
    const url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
    const composed = composeServices([{ name: 'zones', typeDefs: parse(SDL), url }]);
    if (composed.errors) throw composed.errors[0];
    const gateway = () => new ApolloGateway({ supergraphSdl: composed.supergraphSdl });
    plain = new ApolloServer({ gateway: gateway() });
    guarded = new ApolloServer({
      gateway: gateway(),
      plugins: [valueCompletionPlugin(createLogger('router-test', 'silent'))],
    });
    await Promise.all([plain.start(), guarded.start()]);
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), guarded?.stop()]);
    subgraph?.close();
  });

  const run = async (server: ApolloServer) => {
    const res = await server.executeOperation({ query: '{ zones { id score } }' });
    if (res.body.kind !== 'single') throw new Error('expected a single result');
    return res.body.singleResult;
  };

  it('@apollo/gateway alone answers data null with no error at all', async () => {
    const result = await run(plain);
    expect(result.data).toBeNull();
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.valueCompletion).toHaveLength(1);
  });

  it('the router answers an INTERNAL_SERVER_ERROR at the path, without the internal report', async () => {
    const result = await run(guarded);
    expect(result.data).toBeNull();
    expect(result.extensions).toBeUndefined();
    expect(result.errors).toEqual([
      {
        message: 'A service returned an incomplete answer for this field.',
        path: ['zones', 0, 'score'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
  });
});
