import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { shortcutIsExact } from '../src/single-fetch.shortcut';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])';

/** The supergraph of one subgraph with `typeDefs`, and whether the shortcut is exact for it. */
function exactFor(typeDefs: string): boolean {
  const composed = composeServices([{ name: 'cases', url: 'http://cases', typeDefs: parse(`${LINK}\n${typeDefs}`) }]);
  if (!composed.supergraphSdl) throw new Error(String(composed.errors));
  const apiSchema = Supergraph.build(composed.supergraphSdl).apiSchema().toGraphQLJSSchema();
  return shortcutIsExact(composed.supergraphSdl, apiSchema);
}

describe('shortcutIsExact', () => {
  it('holds when everything of the supergraph is visible in the API', () => {
    expect(
      exactFor(`
        type Query { cases(filter: CaseFilter): [Case!]! }
        type Case @key(fields: "id") { id: ID!  status: Status! }
        enum Status { OPEN CLOSED }
        input CaseFilter { status: Status  word: String }
      `),
    ).toBe(true);
  });

  it('fails for an input field the API hides: the subgraph would take it in variables, the gateway refuses it', () => {
    expect(
      exactFor(`
        type Query { cases(filter: CaseFilter): [Case!]! }
        type Case @key(fields: "id") { id: ID! }
        input CaseFilter { word: String  internalScore: Int @inaccessible }
      `),
    ).toBe(false);
  });

  it('fails for an enum value the API hides', () => {
    expect(
      exactFor(`
        type Query { cases(status: Status): [Case!]! }
        type Case @key(fields: "id") { id: ID!  status: Status! }
        enum Status { OPEN CLOSED DRAFT @inaccessible }
      `),
    ).toBe(false);
  });

  it('fails for an object type the API hides', () => {
    expect(
      exactFor(`
        type Query { cases: [Case!]! }
        type Case @key(fields: "id") { id: ID!  audit: Audit @inaccessible }
        type Audit @inaccessible { by: String }
      `),
    ).toBe(false);
  });
});
