import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, parse, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachePolicyPlugins } from '../../src/server/cache-policy.plugin';

const SDL = `
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean)
    on FIELD_DEFINITION | OBJECT | INTERFACE | UNION

  type Query {
    hello: String @cacheControl(maxAge: 60)
    plain: String
    boom: String @cacheControl(maxAge: 60)
    book: Book @cacheControl(maxAge: 120)
    empty: [Book!]! @cacheControl(maxAge: 90)
    me: Reader @cacheControl(maxAge: 100, scope: PRIVATE)
    item: Item @cacheControl(maxAge: 50)
    stale: Stale
  }
  type Book @cacheControl(maxAge: 200) {
    title: String
    author: Author
    shelf: Shelf @cacheControl(inheritMaxAge: true)
  }
  type Author { name: String }
  type Shelf { label: String }
  type Reader { name: String secret: String @cacheControl(scope: PRIVATE) }
  interface Item { id: ID! }
  type Pen implements Item @cacheControl(maxAge: 10) { id: ID! ink: String @cacheControl(maxAge: 5) }
  type Cup implements Item { id: ID! }
  type Stale @cacheControl(maxAge: 40) { n: Int }
`;

const book = { title: 'T', author: { name: 'A' }, shelf: { label: 'S' } };
const rootValue = {
  hello: 'hi',
  plain: 'p',
  boom: () => {
    throw new Error('boom');
  },
  book,
  empty: [],
  me: { name: 'N', secret: 'S' },
  item: { __typename: 'Pen', id: '1', ink: 'blue' },
  stale: { n: 1 },
};

/** An Apollo Server over its own copy of the schema: Apollo's plugin instruments the schema it runs on. */
function serverWith(plugins: 'apollo' | 'static'): { server: ApolloServer; schema: GraphQLSchema } {
  const schema = buildSchema(SDL);
  const server = new ApolloServer({ schema, rootValue, plugins: plugins === 'static' ? cachePolicyPlugins() : [] });
  return { server, schema };
}

const ENTITIES_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean)
    on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Query { user: User }
  type User @key(fields: "id") @cacheControl(maxAge: 300) { id: ID! name: String email: String @cacheControl(scope: PRIVATE) }
  type Pen @key(fields: "id") @cacheControl(maxAge: 10) { id: ID! }
  type Cup @key(fields: "id") { id: ID! }
`;

/** The same over a subgraph schema, whose `_entities` sets hints from its representations' types. */
function subgraphServerWith(plugins: 'apollo' | 'static'): ApolloServer {
  const schema = buildSubgraphSchema({ typeDefs: parse(ENTITIES_SDL) });
  return new ApolloServer({ schema, plugins: plugins === 'static' ? cachePolicyPlugins() : [] });
}

const apollo = serverWith('apollo');
const ours = serverWith('static');

async function cacheControl(
  server: ApolloServer,
  query: string,
  variables?: Record<string, unknown>,
): Promise<string | undefined> {
  const res = await server.executeOperation({ query, variables });
  return res.http.headers.get('cache-control');
}

describe('cachePolicyPlugins', () => {
  beforeAll(async () => {
    await apollo.server.start();
    await ours.server.start();
  });
  afterAll(async () => {
    await apollo.server.stop();
    await ours.server.stop();
  });

  it.each([
    ['a root field with a max age', '{ hello }', 'max-age=60, public'],
    ['a root field without a hint', '{ plain }', 'no-store'],
    ['a field hint over its type hint', '{ book { title } }', 'max-age=120, public'],
    ['an object field without a hint', '{ book { author { name } } }', 'no-store'],
    ['inheritMaxAge', '{ book { shelf { label } } }', 'max-age=120, public'],
    ['a private field', '{ me { name } }', 'max-age=100, private'],
    ['the lowest max age, private once any part is', '{ hello me { secret } }', 'max-age=60, private'],
    ['a field on a concrete type of an interface', '{ item { id ... on Pen { ink } } }', 'max-age=5, public'],
    ['a type hint where the root field has none', '{ stale { n } }', 'max-age=40, public'],
    [
      'fragments at the root',
      '{ ...Q ... on Query { book { title } } } fragment Q on Query { hello }',
      'max-age=60, public',
    ],
    ['aliases and __typename', '{ __typename a: hello b: book { __typename title } }', 'max-age=60, public'],
    ['an answer with errors', '{ hello boom }', 'no-store'],
    ['introspection', '{ __schema { queryType { name } } }', 'no-store'],
  ])('answers as Apollo Server does: %s', async (_name, query, expected) => {
    expect(await cacheControl(apollo.server, query)).toBe(expected);
    expect(await cacheControl(ours.server, query)).toBe(expected);
  });

  it('is stricter, never laxer, where a selected field is not resolved (an empty list)', async () => {
    const query = '{ empty { author { name } } }';
    expect(await cacheControl(apollo.server, query)).toBe('max-age=90, public');
    expect(await cacheControl(ours.server, query)).toBe('no-store');
  });

  describe('over a subgraph schema', () => {
    const apolloSubgraph = subgraphServerWith('apollo');
    const ourSubgraph = subgraphServerWith('static');
    beforeAll(async () => {
      await apolloSubgraph.start();
      await ourSubgraph.start();
    });
    afterAll(async () => {
      await apolloSubgraph.stop();
      await ourSubgraph.stop();
    });
    const entities = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } ... on Pen { id } } }';
    const user = { __typename: 'User', id: '1' };
    const pen = { __typename: 'Pen', id: '2' };
    const cup = { __typename: 'Cup', id: '3' };

    it.each([
      ['one type', entities, { r: [user] }, 'max-age=300, public'],
      ['the lowest of the types given', entities, { r: [user, pen, user] }, 'max-age=10, public'],
      ['a type without a hint', entities, { r: [user, cup] }, 'max-age=300, public'],
      ['only types without a hint', entities, { r: [cup] }, 'no-store'],
      ['no representations', entities, { r: [] }, 'no-store'],
      [
        'a private field of the entity',
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { email } } }',
        { r: [user] },
        'max-age=300, private',
      ],
      [
        'representations written in the query',
        '{ _entities(representations: [{ __typename: "Pen", id: "2" }]) { ... on Pen { id } } }',
        undefined,
        'max-age=10, public',
      ],
    ])('answers _entities as Apollo Server does: %s', async (_name, query, variables, expected) => {
      expect(await cacheControl(apolloSubgraph, query, variables)).toBe(expected);
      expect(await cacheControl(ourSubgraph, query, variables)).toBe(expected);
    });
  });

  it("leaves the schema's resolvers unwrapped, where Apollo's plugin wraps every field", async () => {
    await cacheControl(apollo.server, '{ hello }');
    await cacheControl(ours.server, '{ hello }');
    expect(apollo.schema.getQueryType()!.getFields().hello!.resolve).toBeTypeOf('function');
    expect(ours.schema.getQueryType()!.getFields().hello!.resolve).toBeUndefined();
  });
});
