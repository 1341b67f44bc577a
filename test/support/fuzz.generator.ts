import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Kind,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  parse,
  print,
  typeFromAST,
  visit,
  type DocumentNode,
  type GraphQLEnumType,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { hostileValues, type Hostile } from './fuzz.values';

/** One client operation from `operations/*.graphql`, with the fragments of its file. */
export interface ClientOperation {
  name: string;
  kind: OperationDefinitionNode['operation'];
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The operation's root field (its first), which names what an `id` argument refers to. */
  rootField: string;
  rootType: string;
}

/** A step into a variable's value: a field name or a list index. */
export type Path = (string | number)[];

/** An input leaf: a position in an operation's variables that takes a value of `type`. */
export interface InputLeaf {
  path: Path;
  type: GraphQLInputType;
}

/** Real ids and values the base variables are built from, so hostile values get past existence checks. */
export interface FuzzFixtures {
  /** Real ids by the (lower-case) type they name: `case`, `plant`, `user`, ... */
  ids: Record<string, string>;
  /** Valid values by (lower-case) leaf name (`email`, `password`, `reportid`, ...), or by operation. */
  strings: Record<string, string | ((op: ClientOperation) => string)>;
}

/** One request of the fuzz run. */
export interface FuzzCase {
  operation: string;
  /** The leaf replaced, e.g. `input.place` or `ids[0]`. */
  leaf: string;
  /** The class of hostile value, e.g. `nul`, `overflow`. */
  valueClass: string;
  identity: 'admin' | 'anonymous';
  /** Whether the hostile value travels as a variable or as an inline literal in the document. */
  form: 'variables' | 'inline';
  body: { query: string; operationName: string; variables: Record<string, unknown> };
}

/** Every operation of every `.graphql` file in `dir`. */
export function loadOperations(dir: string, schema: GraphQLSchema): ClientOperation[] {
  const operations: ClientOperation[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()) {
    const doc = parse(readFileSync(join(dir, file), 'utf8'));
    const fragments = doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    for (const def of doc.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION || !def.name) continue;
      const root = def.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
      const rootField = root?.kind === Kind.FIELD ? root.name.value : '';
      const rootObject = schema.getRootType(def.operation);
      const fieldType = rootObject?.getFields()[rootField]?.type;
      operations.push({
        name: def.name.value,
        kind: def.operation,
        document: { kind: Kind.DOCUMENT, definitions: [def, ...fragments] },
        operation: def,
        rootField,
        rootType: fieldType ? getNamedType(fieldType).name : '',
      });
    }
  }
  return operations;
}

/** Every input leaf of an operation: scalars and enums, and lists and input objects themselves. */
export function inputLeaves(schema: GraphQLSchema, op: ClientOperation): InputLeaf[] {
  const leaves: InputLeaf[] = [];
  const walk = (type: GraphQLInputType, path: Path, seen: Set<string>) => {
    leaves.push({ path, type });
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) return walk(inner.ofType, [...path, 0], seen);
    if (!isInputObjectType(inner) || seen.has(inner.name)) return;
    for (const field of Object.values(inner.getFields()))
      walk(field.type, [...path, field.name], new Set([...seen, inner.name]));
  };
  for (const def of op.operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, def.type) as GraphQLInputType | undefined;
    if (!type) throw new Error(`${op.name}: variable $${def.variable.name.value} has a type the schema lacks`);
    walk(type, [def.variable.name.value], new Set());
  }
  return leaves;
}

/** `input.location.lat`, `ids[0]`. */
export const leafName = (path: Path) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');

/**
 * A valid value for a position: real ids (from the id's name, else the root field's type), known
 * strings by leaf name, the first enum value, a past date, small numbers, and every input object
 * with its required fields plus optional objects (points, circles), lists and fields named in the
 * fixtures. Optional scalars without a known value are left out.
 */
export function baseValue(type: GraphQLInputType, path: Path, op: ClientOperation, fx: FuzzFixtures): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  const name = String([...path].reverse().find((p) => typeof p === 'string') ?? '').toLowerCase();
  if (isListType(inner)) return [baseValue(inner.ofType, [...path, 0], op, fx)];
  if (isInputObjectType(inner)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      const named = getNamedType(field.type);
      const nullable = isNonNullType(field.type) ? undefined : field.type;
      const known =
        !nullable || isInputObjectType(named) || isListType(nullable) || field.name.toLowerCase() in fx.strings;
      if (known) value[field.name] = baseValue(field.type, [...path, field.name], op, fx);
    }
    return value;
  }
  if (isEnumType(inner)) return (inner as GraphQLEnumType).getValues()[0]!.name;
  switch (inner.name) {
    case 'ID':
      return fx.ids[idTarget(name, op)] ?? randomUUID();
    case 'String': {
      const known = fx.strings[name];
      return typeof known === 'function' ? known(op) : (known ?? 'fuzz text');
    }
    case 'Int':
      return name === 'age' ? 7 : name === 'first' || name === 'limit' ? 5 : 1;
    case 'Float':
      return name === 'lat' ? 46.2 : name === 'lng' ? 6.1 : name.includes('radius') ? 10 : 1;
    case 'Boolean':
      return false;
    case 'DateTimeISO':
      return new Date(Date.now() - 3_600_000).toISOString();
    case 'JSONObject':
      return {};
    default:
      return 'fuzz';
  }
}

/** What an id argument refers to: `plantId` → plant; `id`/`ids` → the root field's type or name. */
function idTarget(name: string, op: ClientOperation): string {
  const stem = name.replace(/ids?$/, '');
  if (stem) return stem;
  const type = op.rootType.toLowerCase();
  if (!['boolean', 'int', 'string', 'id'].includes(type)) return type;
  const noun = op.rootField.replace(/^[a-z]+(?=[A-Z])/, '').toLowerCase();
  return noun.replace(/ies$/, 'y').replace(/s$/, '');
}

/** Sets `value` at `path` inside a copy of `variables`. */
function setAt(variables: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(variables);
  let parent: Record<string | number, unknown> = copy;
  path.slice(0, -1).forEach((step, i) => {
    parent[step] ??= typeof path[i + 1] === 'number' ? [] : {};
    parent = parent[step] as Record<string | number, unknown>;
  });
  parent[path.at(-1)!] = value;
  return copy;
}

/** A GraphQL literal for `value` at `type` (enum names bare, everything else as JSON would say). */
function literal(value: unknown, type: GraphQLInputType | undefined): ValueNode {
  const inner = type && isNonNullType(type) ? type.ofType : type;
  if (value === null || value === undefined) return { kind: Kind.NULL };
  if (Array.isArray(value)) {
    const item = inner && isListType(inner) ? inner.ofType : undefined;
    return { kind: Kind.LIST, values: value.map((v) => literal(v, item)) };
  }
  if (inner && isListType(inner)) return literal(value, inner.ofType);
  if (typeof value === 'object') {
    const fields = inner && isInputObjectType(inner) ? inner.getFields() : {};
    return {
      kind: Kind.OBJECT,
      fields: Object.entries(value).map(([k, v]) => ({
        kind: Kind.OBJECT_FIELD,
        name: { kind: Kind.NAME, value: k },
        value: literal(v, fields[k]?.type),
      })),
    };
  }
  if (typeof value === 'boolean') return { kind: Kind.BOOLEAN, value };
  if (typeof value === 'number')
    return /^-?\d+$/.test(String(value))
      ? { kind: Kind.INT, value: String(value) }
      : { kind: Kind.FLOAT, value: String(value) };
  const text = String(value);
  if (
    inner &&
    isEnumType(inner) &&
    /^[_A-Za-z][_0-9A-Za-z]*$/.test(text) &&
    !['true', 'false', 'null'].includes(text)
  ) {
    return { kind: Kind.ENUM, value: text };
  }
  return { kind: Kind.STRING, value: text };
}

/** The operation with variable `name` written inline as `value`. */
function inlined(op: ClientOperation, name: string, value: unknown, type: GraphQLInputType): string {
  const doc = visit(op.document, {
    VariableDefinition: (node) => (node.variable.name.value === name ? null : undefined),
    Variable: (node) => (node.name.value === name ? literal(value, type) : undefined),
  });
  return print(doc);
}

/**
 * The fuzz run: for every operation, every input leaf gets every class of hostile value of its
 * type (`hostileValues`) once, with base values everywhere else. The identity (ADMIN, anonymous) and
 * the form (variable, inline literal) rotate over a leaf's classes, so each leaf is tried both ways
 * signed in and anonymously.
 */
export function fuzzCases(schema: GraphQLSchema, operations: ClientOperation[], fx: FuzzFixtures): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const op of operations) {
    const defs = op.operation.variableDefinitions ?? [];
    const types = Object.fromEntries(
      defs.map((d) => [d.variable.name.value, typeFromAST(schema, d.type) as GraphQLInputType]),
    );
    // Built per case: fixtures may hand out fresh values (a new email for every sign-up).
    const base = () =>
      Object.fromEntries(
        defs.map((d) => [
          d.variable.name.value,
          baseValue(types[d.variable.name.value]!, [d.variable.name.value], op, fx),
        ]),
      );
    const query = print(op.document);
    for (const leaf of inputLeaves(schema, op)) {
      const values: Hostile[] = hostileValues(
        leaf.type,
        (p) => baseValue(leaf.type, p ?? leaf.path, op, fx),
        leaf.path,
      );
      values.forEach((hostile, i) => {
        const identity = i % 2 ? 'anonymous' : 'admin';
        const variables = setAt(base(), leaf.path, hostile.value);
        const top = String(leaf.path[0]);
        const inline = Math.floor(i / 2) % 2 === 1;
        cases.push({
          operation: op.name,
          leaf: leafName(leaf.path),
          valueClass: hostile.name,
          identity,
          form: inline ? 'inline' : 'variables',
          body: inline
            ? {
                query: inlined(op, top, variables[top], types[top]!),
                operationName: op.name,
                variables: withoutKey(variables, top),
              }
            : { query, operationName: op.name, variables },
        });
      });
    }
  }
  return cases;
}

function withoutKey(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = o;
  return rest;
}
