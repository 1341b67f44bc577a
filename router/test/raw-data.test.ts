import { describe, expect, it } from 'vitest';
import { RawData, rawDataOf, stringifyResult } from '../src/raw-data';

describe('raw data of a subgraph answer', () => {
  const data = { case: { id: 'c1', note: 'a "quoted" é\u0000 }', list: [1, 2.5, null, true], empty: {} } };

  it("keeps the data's text of an answer that is only data, and writes it as JSON.stringify writes the object", () => {
    for (const text of [JSON.stringify({ data }), `${JSON.stringify({ data })}\n`, '{"data":{}}']) {
      const raw = rawDataOf(text);
      expect(raw).toBeInstanceOf(RawData);
      const parsed = JSON.parse(text) as { data: unknown };
      expect(raw!.toJSON()).toEqual(parsed.data);
      expect(stringifyResult({ data: raw })).toBe(`${JSON.stringify({ data: parsed.data })}\n`);
    }
  });

  it('leaves to the parser an answer with errors, extensions, null data or another shape', () => {
    const answers = [
      JSON.stringify({ errors: [{ message: 'no' }], data }),
      JSON.stringify({ data, errors: [{ message: 'no' }] }),
      JSON.stringify({ data, extensions: { traces: 1 } }),
      JSON.stringify({ data: { errors: 'a field so named' } }),
      JSON.stringify({ data: null }),
      '[{"data":{}}]',
      ' {"data":{}}',
      '{"data":{',
    ];
    for (const text of answers) expect(rawDataOf(text), text).toBeUndefined();
  });

  it('writes other answers as Apollo Server does, and raw data anywhere as its parsed value', () => {
    const raw = rawDataOf(JSON.stringify({ data }))!;
    const errors = [{ message: 'no', extensions: { code: 'X' } }];
    expect(stringifyResult({ errors, data })).toBe(`${JSON.stringify({ errors, data })}\n`);
    expect(stringifyResult({ errors, data: raw })).toBe(`${JSON.stringify({ errors, data })}\n`);
    expect(stringifyResult({ data: raw, extensions: { a: 1 } })).toBe(
      `${JSON.stringify({ data, extensions: { a: 1 } })}\n`,
    );
    expect(JSON.stringify({ cached: raw })).toBe(JSON.stringify({ cached: data }));
  });
});
