/**
 * A subgraph's `data` kept as the JSON text it answered, for the single-fetch shortcut: the router
 * writes that text into its own answer ({@link stringifyResult}) instead of parsing it and
 * serialising the same object again (JSON.parse and JSON.stringify of the answer took about 8 % of
 * the router's CPU on a page of 20 cases; bench/optimisations.md, entry 20). Anything that reads it
 * as JSON gets the parsed value (`toJSON`): Apollo's response cache stores it that way.
 */
export class RawData {
  constructor(readonly json: string) {}

  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

/** Requests whose sender takes a {@link RawData} as the answer's `data` (the shortcut's fetches). */
export const acceptsRawData = new WeakSet<object>();

const PREFIX = '{"data":{';

/**
 * The `data` of a subgraph's answer as raw JSON text, when the answer is only that: it starts
 * with `{"data":{` (Apollo Server writes `errors` first, so there are none) and names neither
 * `errors` nor `extensions` anywhere (a field of that name only costs the parse). Else undefined,
 * and the answer is parsed as always. The subgraph's own `JSON.stringify` wrote the text, so it is
 * the text the router would write for the parsed object.
 */
export function rawDataOf(text: string): RawData | undefined {
  if (!text.startsWith(PREFIX) || text.includes('"errors":') || text.includes('"extensions":')) return undefined;
  const end = text.lastIndexOf('}');
  if (end < PREFIX.length) return undefined;
  return new RawData(text.slice(PREFIX.length - 1, end));
}

/**
 * Apollo Server's `stringifyResult`: its own (`JSON.stringify` and a newline) for every answer,
 * except one whose only member is {@link RawData}, which is written as it came.
 */
export function stringifyResult(result: { data?: unknown; errors?: unknown; extensions?: unknown }): string {
  if (result.data instanceof RawData && result.errors === undefined && result.extensions === undefined) {
    return `{"data":${result.data.json}}\n`;
  }
  return `${JSON.stringify(result)}\n`;
}
