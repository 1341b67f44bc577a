import { randomUUID } from 'node:crypto';
import { isEnumType, isInputObjectType, isListType, isNonNullType, type GraphQLInputType } from 'graphql';
import type { Path } from './fuzz.generator';

/** One hostile value and the name of its class. */
export interface Hostile {
  name: string;
  value: unknown;
}

const MAX_LIST = 1_000; // the kit's MAX_INPUT_LIST_LENGTH; one more is "huge"

/** Text that is hostile to storage, to parsers or to renderers; and values of the wrong type. */
const TEXT: Hostile[] = [
  { name: 'empty', value: '' },
  { name: 'blank', value: '   \t\n ' },
  { name: 'nul', value: 'fuzz\u0000text' },
  { name: 'long', value: 'x'.repeat(5_000) },
  { name: 'huge', value: 'y'.repeat(100_000) },
  { name: 'lone-high-surrogate', value: 'fuzz\uD800text' },
  { name: 'lone-low-surrogate', value: '\uDC00fuzz' },
  { name: 'unicode', value: '🙂 e\u0301 \u202Eabc \uFEFF 中文' },
  { name: 'sql', value: "'; DROP TABLE app_user; --" },
  { name: 'sql-like', value: "%' OR '1'='1' --\\" },
  { name: 'html', value: '<script>alert(1)</script><img src=x onerror=alert(1)>' },
  { name: 'time-zone', value: 'Mars/Olympus_Mons' },
  { name: 'clock', value: '25:61' },
  { name: 'number', value: 12345 },
  { name: 'object', value: { a: 1 } },
];

const IDS: Hostile[] = [
  { name: 'not-uuid', value: 'not-a-uuid' },
  { name: 'nil-uuid', value: '00000000-0000-0000-0000-000000000000' },
  { name: 'unknown-uuid', value: '7d444840-9dc0-11d1-b245-5ffdce74fad2' },
];

const INTS: Hostile[] = [
  { name: 'negative', value: -1 },
  { name: 'zero', value: 0 },
  { name: 'int-max', value: 2_147_483_647 },
  { name: 'int-min', value: -2_147_483_648 },
  { name: 'overflow', value: 2_147_483_648 },
  { name: 'fraction', value: 1.5 },
  { name: 'string', value: '7' },
  { name: 'astronomic', value: 1e300 },
];

const FLOATS: Hostile[] = [
  { name: 'negative', value: -1 },
  { name: 'zero', value: 0 },
  { name: 'tiny', value: 5e-324 },
  { name: 'out-of-range', value: 1000.5 },
  { name: 'double-max', value: Number.MAX_VALUE },
  { name: 'double-min', value: -Number.MAX_VALUE },
  { name: 'string', value: '1.5' },
  { name: 'bool', value: true },
];

const BOOLEANS: Hostile[] = [
  { name: 'string', value: 'true' },
  { name: 'number', value: 1 },
];

const DATES: Hostile[] = [
  { name: 'garbage', value: 'garbage' },
  { name: 'date-only', value: '2024-01-01' },
  { name: 'impossible-day', value: '2024-02-30T10:00:00Z' },
  { name: 'bad-hour', value: '2024-01-01T25:00:00Z' },
  { name: 'bad-offset', value: '2024-01-01T10:00:00+25:00' },
  { name: 'year-zero', value: '0000-01-01T00:00:00Z' },
  { name: 'year-zero-by-offset', value: '0001-01-01T00:00:00+14:00' },
  { name: 'far-future', value: '9999-12-31T23:59:59Z' },
  { name: 'epoch-number', value: 1_700_000_000_000 },
  { name: 'nul', value: '2024-01-01T10:00:00Z\u0000' },
];

const JSON_OBJECTS: Hostile[] = [
  { name: 'string', value: 'x' },
  { name: 'array', value: [1, 2] },
  { name: 'deep', value: JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) },
  { name: 'nul', value: { 'k\u0000': 'v\u0000' } },
];

/**
 * The hostile values for a position of `type`: by scalar (text, ids, integers, floats, booleans,
 * dates, JSON), wrong enum values, empty / huge / null-holding lists, and wrong object shapes.
 * `base(path)` gives a valid value (lists and objects are built around it).
 */
export function hostileValues(type: GraphQLInputType, base: (path?: Path) => unknown, path: Path): Hostile[] {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const item = () => (isIdList(inner.ofType) ? randomUUID() : base([...path, 0]));
    return [
      { name: 'empty-list', value: [] },
      { name: 'big-list', value: Array.from({ length: 200 }, item) },
      { name: 'huge-list', value: Array.from({ length: MAX_LIST + 1 }, item) },
      { name: 'null-item', value: [null] },
      { name: 'not-a-list', value: { a: 1 } },
    ];
  }
  if (isInputObjectType(inner)) {
    const valid = base() as Record<string, unknown>;
    return [
      { name: 'empty-object', value: {} },
      { name: 'unknown-field', value: { ...valid, zzzUnknown: 1 } },
      { name: 'string', value: 'not an object' },
      { name: 'list', value: [valid] },
    ];
  }
  if (isEnumType(inner)) {
    const first = inner.getValues()[0]!.name;
    return [
      { name: 'unknown-enum', value: 'NOT_A_VALUE' },
      { name: 'lower-case', value: first.toLowerCase() },
      { name: 'empty', value: '' },
      { name: 'number', value: 1 },
    ];
  }
  switch (inner.name) {
    case 'ID':
      return [...IDS, ...TEXT];
    case 'String':
      return TEXT;
    case 'Int':
      return INTS;
    case 'Float':
      return FLOATS;
    case 'Boolean':
      return BOOLEANS;
    case 'DateTimeISO':
      return DATES;
    case 'JSONObject':
      return JSON_OBJECTS;
    default:
      return [...TEXT, ...JSON_OBJECTS];
  }
}

function isIdList(type: GraphQLInputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return !isListType(inner) && !isInputObjectType(inner) && !isEnumType(inner) && inner.name === 'ID';
}
