import {
  Kind,
  Lexer,
  print,
  Source,
  TokenKind,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
  type VariableNode,
} from 'graphql';

/**
 * Tokens a merged operation may have: the subgraphs parse an operation of at most 10,000 tokens
 * (kit, operation.kind.ts), and a merged one must stay well inside that.
 */
export const MERGED_TOKEN_BUDGET = 8_000;

/** One client operation repeated as copies of itself in one subgraph operation. */
export interface MergedOperation {
  /** The merged operation: each copy's root fields aliased and its variables renamed by {@link copyPrefix}. */
  document: DocumentNode;
  query: string;
  /** The variables the client's operation declares. */
  variables: string[];
}

/** What a document allows: how many copies of it fit in one merged operation, and how it is built. */
export interface Mergeable {
  operation: OperationDefinitionNode;
  fragments: FragmentDefinitionNode[];
  /** At most this many copies fit in {@link MERGED_TOKEN_BUDGET}. */
  maxCopies: number;
  /** Merged operations made so far, by number of copies (see mergedOperation). */
  built: Map<number, MergedOperation>;
}

/** The prefix of copy `i`'s root aliases and variable names in a merged operation. */
export const copyPrefix = (i: number): string => `b${i}_`;

/** The copy a merged operation's root alias belongs to and the length of its prefix, or undefined. */
function copyOfAlias(alias: string): { copy: number; prefix: number } | undefined {
  const match = /^b(\d+)_/.exec(alias);
  return match ? { copy: Number(match[1]), prefix: match[0].length } : undefined;
}

/**
 * Whether copies of a client's query can be merged into one operation: its one operation has no
 * directives, its root selections are fields (no root fragments, so every root field can be
 * aliased), and its fragments use no variables (so they are shared by all copies unchanged).
 * Undefined when it cannot, or when fewer than two copies fit in {@link MERGED_TOKEN_BUDGET}.
 */
export function mergeableOf(document: DocumentNode): Mergeable | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operations[0];
  if (operations.length !== 1 || !operation || operation.operation !== 'query' || operation.directives?.length) return;
  if (!operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD)) return;
  const fragments = document.definitions.filter(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
  );
  if (fragments.some(usesVariables)) return;
  const tokens = countTokens(print({ kind: Kind.DOCUMENT, definitions: [operation] }));
  const fragmentTokens = fragments.length ? countTokens(print({ kind: Kind.DOCUMENT, definitions: fragments })) : 0;
  const maxCopies = Math.floor((MERGED_TOKEN_BUDGET - fragmentTokens) / Math.max(tokens, 1));
  if (maxCopies < 2) return undefined;
  return { operation, fragments, maxCopies, built: new Map() };
}

/** `copies` copies of a mergeable query as one operation of the same name; made once per number of copies. */
export function mergedOperation(mergeable: Mergeable, copies: number): MergedOperation {
  let merged = mergeable.built.get(copies);
  if (!merged) mergeable.built.set(copies, (merged = build(mergeable, copies)));
  return merged;
}

function build(mergeable: Mergeable, copies: number): MergedOperation {
  const { operation, fragments } = mergeable;
  const variableDefinitions: VariableDefinitionNode[] = [];
  const selections: FieldNode[] = [];
  for (let i = 0; i < copies; i++) {
    const prefix = copyPrefix(i);
    for (const definition of operation.variableDefinitions ?? []) {
      variableDefinitions.push({ ...definition, variable: renamed(definition.variable, prefix) });
    }
    const set = visit(operation.selectionSet, { Variable: (node: VariableNode) => renamed(node, prefix) });
    for (const field of set.selections as FieldNode[]) {
      selections.push({ ...field, alias: { kind: Kind.NAME, value: prefix + responseKey(field) } });
    }
  }
  const merged: OperationDefinitionNode = {
    ...operation,
    variableDefinitions,
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [merged, ...fragments] };
  return {
    document,
    query: print(document),
    variables: (operation.variableDefinitions ?? []).map((d) => d.variable.name.value),
  };
}

/** The merged operation's variables: each copy's declared ones, renamed; those a copy left out stay out (defaults apply). */
export function mergedVariables(
  merged: MergedOperation,
  copies: ReadonlyArray<Record<string, unknown> | undefined>,
): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  copies.forEach((values, i) => {
    if (!values) return;
    for (const name of merged.variables) {
      if (Object.prototype.hasOwnProperty.call(values, name)) variables[copyPrefix(i) + name] = values[name];
    }
  });
  return variables;
}

/**
 * Each copy's `data` out of the merged answer's, under the client's own keys. In the order the
 * merged answer has them, which is each copy's own: graphql-js writes fields in the order they are
 * first selected (after `@skip`/`@include`), and a copy's fields are selected together, in its order.
 */
export function copiesData(data: Record<string, unknown>, copies: number): Record<string, unknown>[] {
  const own: Record<string, unknown>[] = Array.from({ length: copies }, () => ({}));
  for (const [key, value] of Object.entries(data)) {
    const of = copyOfAlias(key);
    const part = of && own[of.copy];
    if (part) part[key.slice(of.prefix)] = value;
  }
  return own;
}

/**
 * The copy an error of the merged answer belongs to, by the root alias its path starts with;
 * undefined when the path names none (an error of the whole operation).
 */
export function copyOfError(error: GraphQLFormattedError, copies: number): number | undefined {
  const root = error.path?.[0];
  if (typeof root !== 'string') return undefined;
  const of = copyOfAlias(root);
  return of && of.copy < copies ? of.copy : undefined;
}

function renamed(node: VariableNode, prefix: string): VariableNode {
  return { ...node, name: { ...node.name, value: prefix + node.name.value } };
}

function responseKey(field: FieldNode): string {
  return (field.alias ?? field.name).value;
}

function usesVariables(fragment: FragmentDefinitionNode): boolean {
  let found = false;
  visit(fragment, {
    Variable: () => {
      found = true;
    },
  });
  return found;
}

function countTokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

/**
 * Each copy's `data` as JSON text, cut out of the merged answer's `data` text without parsing it:
 * the members under copy `i`'s aliases, with the prefix taken off the key, the values as the
 * subgraph wrote them (so each is the text the subgraph writes for that copy alone, as with
 * RawData). Undefined when the text is not as `JSON.stringify` writes an object of aliased members
 * (whitespace, a member of no copy): the caller parses it instead.
 */
export function splitDataText(json: string, copies: number): string[] | undefined {
  const members: string[][] = Array.from({ length: copies }, () => []);
  if (json.charCodeAt(0) !== OPEN_BRACE) return undefined;
  let at = 1;
  while (json.charCodeAt(at) !== CLOSE_BRACE) {
    if (json.charCodeAt(at) !== QUOTE) return undefined;
    const keyEnd = stringEnd(json, at);
    const of = keyEnd > 0 ? copyOfAlias(json.slice(at + 1, keyEnd - 1)) : undefined;
    const own = of && members[of.copy];
    if (!own || json.charCodeAt(keyEnd) !== COLON) return undefined;
    const valueEnd = valueEndOf(json, keyEnd + 1);
    if (valueEnd < 0) return undefined;
    own.push(`"${json.slice(at + 1 + of!.prefix, valueEnd)}`);
    at = valueEnd;
    if (json.charCodeAt(at) === COMMA) at++;
    else if (json.charCodeAt(at) !== CLOSE_BRACE) return undefined;
  }
  return at === json.length - 1 ? members.map((own) => `{${own.join(',')}}`) : undefined;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const BACKSLASH = 0x5c;

/** The index after the string that opens at `at`, or -1. */
function stringEnd(json: string, at: number): number {
  for (let from = at + 1; ;) {
    const quote = json.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (json.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The index after the JSON value that starts at `at`, or -1. */
function valueEndOf(json: string, at: number): number {
  const first = json.charCodeAt(at);
  if (first === QUOTE) return stringEnd(json, at);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let end = at;
    for (
      let c = json.charCodeAt(end);
      c !== COMMA && c !== CLOSE_BRACE && end < json.length;
      c = json.charCodeAt(++end)
    );
    return end > at ? end : -1;
  }
  let depth = 0;
  for (let i = at; i < json.length;) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(json, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}
