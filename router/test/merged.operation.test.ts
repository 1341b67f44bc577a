import { buildSchema, execute, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  copiesData,
  mergeableOf,
  mergedOperation,
  mergedVariables,
  MERGED_TOKEN_BUDGET,
  splitDataText,
} from '../src/merged.operation';
import { splitAnswer } from '../src/single-fetch.merger';
import { RawData } from '../src/raw-data';

const schema = buildSchema(`
  type Query { case(id: ID!): Case  cases(first: Int = 2): [Case!]!  stats: Stats! }
  type Case { id: ID!  name: String  tag(upper: Boolean): String }
  type Stats { total: Int! }
`);
const rows: Record<string, { id: string; name: string }> = {
  '1': { id: '1', name: 'Ana' },
  '2': { id: '2', name: 'Bo' },
  '3': { id: '3', name: 'Cy' },
};
const rootValue = {
  case: ({ id }: { id: string }) =>
    rows[id] ? { ...rows[id], tag: ({ upper }: { upper?: boolean }) => (upper ? 'T' : 't') } : null,
  cases: ({ first }: { first: number }) => Object.values(rows).slice(0, first),
  stats: () => ({ total: 3 }),
};

/** What graphql-js answers for `query` with `variables`, as JSON text. */
async function run(query: string, variables?: Record<string, unknown>): Promise<{ data?: unknown; errors?: unknown }> {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  return JSON.parse(JSON.stringify(await execute({ schema, document, rootValue, variableValues: variables })));
}

describe('merged operations', () => {
  // `two` is first selected where $more may skip it: alone, it then comes after `__typename`.
  const client =
    'fragment Who on Case { id name } query One($id: ID!, $up: Boolean, $more: Boolean = true) ' +
    '{ two: case(id: $id) @include(if: $more) { id } one: case(id: $id) { ...Who tag(upper: $up) } ' +
    '__typename two: case(id: $id) { name } }';

  it('answers each copy as the client query alone would, in its order', async () => {
    const mergeable = mergeableOf(parse(client))!;
    const copies = [{ id: '1', up: true }, { id: '9' }, { id: '3', more: false }];
    const merged = mergedOperation(mergeable, copies.length);
    const variables = mergedVariables(merged, copies);
    expect(variables).toEqual({ b0_id: '1', b0_up: true, b1_id: '9', b2_id: '3', b2_more: false });
    const answer = await run(merged.query, variables);
    expect(answer.errors).toBeUndefined();
    const parts = splitAnswer(answer as never, copies.length);
    // The same parts from the answer's text, as SignedDataSource hands over an answer of only data.
    expect(splitAnswer({ data: new RawData(JSON.stringify(answer.data)) }, copies.length)).toEqual(parts);
    for (const [i, copy] of copies.entries()) {
      const alone = await run(client, copy);
      const part = (parts[i] as { data: RawData }).data;
      expect(part).toBeInstanceOf(RawData);
      expect(part.json).toBe(JSON.stringify(alone.data));
      expect(copiesData(answer.data as never, copies.length)[i]).toEqual(alone.data);
    }
  });

  it('gives a copy its own errors, every copy the errors that name none, and sends the others alone', () => {
    const mine = [{ message: 'too many', path: ['b1_cases'] }];
    // The others' data is there, but an answer with errors has no Cache-Control to go by.
    expect(splitAnswer({ data: { b0_cases: [{ id: '1' }], b1_cases: null }, errors: mine }, 3)).toEqual([
      'alone',
      { errors: mine },
      'alone',
    ]);
    // A non-null root field that failed nulls all data: the others have no answer at all.
    const nulled = [{ message: 'failed', path: ['b0_cases'] }];
    expect(splitAnswer({ data: null, errors: nulled }, 2)).toEqual([{ errors: nulled }, 'alone']);
    const whole = [{ message: 'refused' }];
    expect(splitAnswer({ data: { b0_cases: [], b1_cases: [] }, errors: whole }, 2)).toEqual([
      { errors: whole },
      { errors: whole },
    ]);
    expect(splitAnswer({ data: null }, 2)).toEqual([{}, {}]); // neither data nor errors: the gateway's to word
  });

  it('cuts the data of each copy out of the merged text as JSON.stringify writes it alone', async () => {
    const values = [
      { case: { id: '1', name: 'say "hi" \\ {not} [a] , b1_x:' }, n: -1.5e-7, ok: true },
      { case: null, list: [[], {}, [{ a: [1, { b: '}' }] }]], s: '\\', u: 'é \u2028 \n' },
      { empty: {}, none: [], zero: 0, f: false },
    ];
    const merged: Record<string, unknown> = {};
    values.forEach((value, i) => {
      for (const [k, v] of Object.entries(value)) merged[`b${i}_${k}`] = v;
    });
    expect(splitDataText(JSON.stringify(merged), values.length)).toEqual(values.map((v) => JSON.stringify(v)));
    // Text it cannot vouch for is left to the parser.
    expect(splitDataText(JSON.stringify(merged, null, 1), values.length)).toBeUndefined();
    expect(splitDataText('{"other":1}', 1)).toBeUndefined();
    expect(splitDataText('{"b0_a":1,"b5_a":2}', 2)).toBeUndefined();
    expect(splitDataText('{"b0_a":"open}', 1)).toBeUndefined();
    expect(splitDataText('{}', 2)).toEqual(['{}', '{}']);
  });

  it('merges only what it can copy exactly', () => {
    const refuse = [
      '{ ...Root } fragment Root on Query { stats { total } }', // a root fragment cannot be aliased
      '{ ... on Query { stats { total } } }',
      'query Q($up: Boolean) { case(id: 1) { ...T } } fragment T on Case { tag(upper: $up) }', // a fragment with variables
      'query A { stats { total } } query B { stats { total } }',
      'mutation { stats }',
    ];
    for (const query of refuse) expect(mergeableOf(parse(query)), query).toBeUndefined();
    expect(mergeableOf(parse('{ stats { total } }'))!.maxCopies).toBeGreaterThan(64);
    // `aN: stats { total }` is 6 tokens: copies of 600 of them fit twice in the budget, of 1,400 not even once.
    const wide = (n: number) => parse(`{ ${Array.from({ length: n }, (_, i) => `a${i}: stats { total }`).join(' ')} }`);
    expect(mergeableOf(wide(600))!.maxCopies).toBe(Math.floor(MERGED_TOKEN_BUDGET / (600 * 6 + 2)));
    expect(mergeableOf(wide(1_400))).toBeUndefined();
  });
});
