import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkOperationInput, documentedMaxLength, MAX_INPUT_LIST_LENGTH, type BadUserInputError } from '../../src';

// As the router sees the supergraph: custom scalars by name only, descriptions kept.
const schema = buildSchema(`
  scalar DateTimeISO
  scalar JSONObject
  input SightingInput {
    "Where it was seen (free text, 1–300 characters)."
    place: String!
    seenAt: DateTimeISO!
    tags: [String!]
    details: JSONObject
  }
  type Query { ok(input: SightingInput, ids: [ID!], note: String): Boolean }
`);

/** The BAD_USER_INPUT field a document and variables are refused with, or undefined when accepted. */
function refusal(query: string, variables: Record<string, unknown> = {}): string | undefined {
  const document = parse(query);
  try {
    checkOperationInput(schema, document, document.definitions[0] as OperationDefinitionNode, variables);
    return undefined;
  } catch (err) {
    expect((err as BadUserInputError).extensions.code).toBe('BAD_USER_INPUT');
    return (err as BadUserInputError).extensions.field as string;
  }
}

const SIGHTING = 'query($input: SightingInput) { ok(input: $input) }';
const valid = { place: 'Lyon', seenAt: '2024-05-01T10:00:00Z' };

describe('checkOperationInput', () => {
  it('accepts ordinary input, as variables and inline', () => {
    expect(refusal(SIGHTING, { input: { ...valid, tags: ['a'], details: { k: 'v' } } })).toBeUndefined();
    expect(refusal('{ ok(input: { place: "Lyon", seenAt: "2024-05-01T10:00:00Z" }, note: "ok") }')).toBeUndefined();
  });

  it('refuses NUL characters and unpaired surrogates anywhere, naming the field', () => {
    expect(refusal(SIGHTING, { input: { ...valid, place: 'a\u0000b' } })).toBe('input.place');
    expect(refusal(SIGHTING, { input: { ...valid, tags: ['ok', 'x\uD800'] } })).toBe('input.tags[1]');
    expect(refusal(SIGHTING, { input: { ...valid, details: { deep: ['\uDC00'] } } })).toBe('input.details.deep[0]');
    expect(refusal('{ ok(note: "a\\u0000b") }')).toBe('note');
    expect(refusal('query($n: String) { ok(note: $n) }', { n: 'fine \uD83D\uDE42' })).toBeUndefined();
  });

  it('refuses invalid custom scalars as variables and as literals', () => {
    expect(refusal(SIGHTING, { input: { ...valid, seenAt: 'garbage' } })).toBe('input.seenAt');
    expect(refusal('{ ok(input: { place: "Lyon", seenAt: "garbage" }) }')).toBe('input.seenAt');
    expect(refusal(SIGHTING, { input: { ...valid, seenAt: '0000-01-01T00:00:00Z' } })).toBe('input.seenAt');
    expect(refusal(SIGHTING, { input: { ...valid, details: 'not an object' } })).toBe('input.details');
  });

  it('enforces the documented maximum length, and a bound on every string and list', () => {
    expect(documentedMaxLength('Where it was seen (free text, 1–300 characters).')).toBe(300);
    expect(documentedMaxLength('What was seen (up to 2000 characters).')).toBe(2000);
    expect(refusal(SIGHTING, { input: { ...valid, place: 'x'.repeat(301) } })).toBe('input.place');
    expect(refusal(SIGHTING, { input: { ...valid, place: 'x'.repeat(300) } })).toBeUndefined();
    expect(refusal('query($n: String) { ok(note: $n) }', { n: 'x'.repeat(10_001) })).toBe('note');
    const ids = Array.from({ length: MAX_INPUT_LIST_LENGTH + 1 }, () => 'id');
    expect(refusal('query($ids: [ID!]) { ok(ids: $ids) }', { ids })).toBe('ids');
  });
});
