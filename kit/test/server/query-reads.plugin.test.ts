import { ApolloServer } from '@apollo/server';
import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { servesQueryOnly } from '../../src/db/read-only';
import { queryReadsPlugin } from '../../src/server/query-reads.plugin';

describe('queryReadsPlugin', () => {
  const seen: boolean[] = [];
  const apollo = new ApolloServer<{ em: EntityManager }>({
    typeDefs: 'type Query { read: Boolean } type Mutation { write: Boolean }',
    resolvers: {
      // What a resolver sees while it runs: the marking is done before execution.
      Query: { read: (_p, _a, ctx: { em: EntityManager }) => seen.push(servesQueryOnly(ctx.em)) > 0 },
      Mutation: { write: (_p, _a, ctx: { em: EntityManager }) => seen.push(servesQueryOnly(ctx.em)) > 0 },
    },
    plugins: [queryReadsPlugin()],
  });
  // The plugin only needs an object to mark; no database is involved.
  const em = () => ({}) as EntityManager;

  it('marks the EntityManager of a query, not of a mutation, before anything executes', async () => {
    const [forQuery, forMutation] = [em(), em()];
    await apollo.executeOperation({ query: '{ read }' }, { contextValue: { em: forQuery } });
    await apollo.executeOperation({ query: 'mutation { write }' }, { contextValue: { em: forMutation } });
    expect(seen).toEqual([true, false]);
    expect(servesQueryOnly(forQuery)).toBe(true);
    expect(servesQueryOnly(forMutation)).toBe(false);
  });
});
