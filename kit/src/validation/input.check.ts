import {
  GraphQLError,
  Kind,
  TypeInfo,
  getOperationAST,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  specifiedScalarTypes,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLScalarType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { BadUserInputError } from '../errors/errors';
import { SCALARS } from '../schema/scalars';
import { MAX_INPUT_LIST_LENGTH, MAX_INPUT_TEXT_LENGTH, documentedMaxLength, unstorableText } from './input.rules';

/** One input position of an operation: an argument value (or a variable's default) and its type. */
interface InputSite {
  node: ValueNode;
  type: GraphQLInputType;
  /** How errors name it: the argument and the path inside it (`input.place`, `ids[2]`). */
  field: string;
  /** The most characters its text may have (documented in its description). */
  max: number;
}

type Variables = Record<string, unknown> | null | undefined;

/** What a check needs besides the value: the request's variables and the scalar implementations. */
interface Scope {
  variables: Variables;
  scalars: ReadonlyMap<string, GraphQLScalarType>;
}

const BUILT_IN = new Set(specifiedScalarTypes.map((t) => t.name));
/** Input sites per parsed document and operation (Apollo Server reuses parsed documents: once per query text). */
const sitesCache = new WeakMap<DocumentNode, Map<string, InputSite[]>>();

/**
 * Checks every value an operation takes, inline literals and variables alike, before anything runs:
 * each string (at any depth, also inside JSON scalars) must be text storage can hold
 * (`unstorableText`) and no longer than its field's description says (`documentedMaxLength`),
 * each list at most `MAX_INPUT_LIST_LENGTH` items long, and each custom scalar must parse with its
 * implementation in `scalars` (the router's supergraph knows scalars only by name).
 * Throws BAD_USER_INPUT naming the argument and path (`field`: `input.seenAt`); values graphql-js
 * itself coerces (Int, Float, Boolean, enums, required fields) are left to its own coercion.
 */
export function checkOperationInput(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
  scalars: ReadonlyMap<string, GraphQLScalarType> = SCALARS,
): void {
  const scope: Scope = { variables, scalars };
  for (const site of inputSites(schema, document, operation)) {
    checkLiteral(site.node, site.type, site.field, site.max, scope);
  }
}

/** `checkOperationInput` for the operation named `operationName`, where Apollo's pipeline does not run (graphql-ws). */
export function checkDocumentInput(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
): void {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation) checkOperationInput(schema, document, operation, variables);
}

function inputSites(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): InputSite[] {
  let byOperation = sitesCache.get(document);
  if (!byOperation) sitesCache.set(document, (byOperation = new Map()));
  const key = operation.name?.value ?? '';
  let sites = byOperation.get(key);
  if (sites) return sites;
  sites = [];
  for (const def of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, def.type) as GraphQLInputType | undefined;
    if (!def.defaultValue || !type) continue;
    sites.push({ node: def.defaultValue, type, field: def.variable.name.value, max: MAX_INPUT_TEXT_LENGTH });
  }
  const typeInfo = new TypeInfo(schema);
  const collect = visitWithTypeInfo(typeInfo, {
    Argument(node) {
      const arg = typeInfo.getArgument();
      if (arg) sites!.push({ node: node.value, type: arg.type, field: arg.name, max: maxOf(arg.description) });
      return false;
    },
  });
  visit(operation, collect);
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) visit(def, collect);
  byOperation.set(key, sites);
  return sites;
}

function checkLiteral(node: ValueNode, type: GraphQLInputType, field: string, max: number, scope: Scope): void {
  if (node.kind === Kind.VARIABLE) {
    checkValue(scope.variables?.[node.name.value], type, field, max, scope);
    return;
  }
  if (isNonNullType(type)) return checkLiteral(node, type.ofType, field, max, scope);
  if (node.kind === Kind.NULL) return;
  if (isListType(type)) {
    if (node.kind !== Kind.LIST) return checkLiteral(node, type.ofType, field, max, scope);
    checkListLength(node.values.length, field);
    node.values.forEach((item, i) => checkLiteral(item, type.ofType, `${field}[${i}]`, max, scope));
    return;
  }
  if (isInputObjectType(type)) {
    if (node.kind !== Kind.OBJECT) return;
    const fields = type.getFields();
    for (const f of node.fields) {
      const def = fields[f.name.value];
      if (def) checkLiteral(f.value, def.type, `${field}.${f.name.value}`, maxOf(def.description), scope);
    }
    return;
  }
  if (!isScalarType(type)) return; // enums: graphql-js validates them
  const custom = BUILT_IN.has(type.name) ? undefined : scope.scalars.get(type.name);
  if (custom) {
    parseOrRefuse(() => custom.parseLiteral(node, scope.variables), type.name, field);
    checkUntypedLiteral(node, field);
  } else if (node.kind === Kind.STRING) {
    checkText(node.value, field, max);
  } else if (!BUILT_IN.has(type.name)) {
    checkUntypedLiteral(node, field);
  }
}

function checkValue(value: unknown, type: GraphQLInputType, field: string, max: number, scope: Scope): void {
  if (isNonNullType(type)) return checkValue(value, type.ofType, field, max, scope);
  if (value === null || value === undefined) return;
  if (isListType(type)) {
    if (!Array.isArray(value)) return checkValue(value, type.ofType, field, max, scope);
    checkListLength(value.length, field);
    value.forEach((item, i) => checkValue(item, type.ofType, `${field}[${i}]`, max, scope));
    return;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) return;
    const fields = type.getFields();
    for (const [name, v] of Object.entries(value)) {
      const def = fields[name];
      if (def) checkValue(v, def.type, `${field}.${name}`, maxOf(def.description), scope);
    }
    return;
  }
  if (!isScalarType(type)) return;
  const custom = BUILT_IN.has(type.name) ? undefined : scope.scalars.get(type.name);
  if (custom) parseOrRefuse(() => custom.parseValue(value), type.name, field);
  if (typeof value === 'string') checkText(value, field, custom ? MAX_INPUT_TEXT_LENGTH : max);
  else if (!BUILT_IN.has(type.name)) checkUntypedValue(value, field);
}

function parseOrRefuse(parse: () => unknown, typeName: string, field: string): void {
  let parsed: unknown;
  try {
    parsed = parse();
  } catch (err) {
    const reason = err instanceof GraphQLError || err instanceof TypeError ? ` ${err.message}` : '';
    throw new BadUserInputError(`${field} is not a valid ${typeName}.${reason}`, field);
  }
  if (parsed === undefined) throw new BadUserInputError(`${field} is not a valid ${typeName}.`, field);
}

const maxOf = (description: string | null | undefined) => documentedMaxLength(description) ?? MAX_INPUT_TEXT_LENGTH;

function checkText(value: string, field: string, max = MAX_INPUT_TEXT_LENGTH): void {
  const problem = unstorableText(value, max);
  if (problem) throw new BadUserInputError(`${field} ${problem}.`, field);
}

function checkListLength(length: number, field: string): void {
  if (length <= MAX_INPUT_LIST_LENGTH) return;
  throw new BadUserInputError(`${field} must have at most ${MAX_INPUT_LIST_LENGTH} items.`, field);
}

/** Strings and keys anywhere inside a JSON-like value (custom scalars such as JSONObject). */
function checkUntypedValue(value: unknown, field: string, depth = 0): void {
  if (typeof value === 'string') return checkText(value, field);
  if (typeof value !== 'object' || value === null || depth > 32) return;
  if (Array.isArray(value)) {
    checkListLength(value.length, field);
    value.forEach((item, i) => checkUntypedValue(item, `${field}[${i}]`, depth + 1));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    checkText(key, field);
    checkUntypedValue(item, `${field}.${key}`, depth + 1);
  }
}

function checkUntypedLiteral(node: ValueNode, field: string): void {
  if (node.kind === Kind.STRING) return checkText(node.value, field);
  if (node.kind === Kind.LIST) {
    checkListLength(node.values.length, field);
    node.values.forEach((item, i) => checkUntypedLiteral(item, `${field}[${i}]`));
  } else if (node.kind === Kind.OBJECT) {
    for (const f of node.fields) checkUntypedLiteral(f.value, `${field}.${f.name.value}`);
  }
}
