import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/** Bounds on one operation; each has a documented default (README, .env.example). */
export interface OperationLimits {
  /** Deepest field nesting (fragments expanded). */
  maxDepth: number;
  /** Aliased fields in the whole operation. */
  maxAliases: number;
  /** Estimated cost: every field costs 1, multiplied by the page sizes (`first`/`last`/`limit`) asked above it. */
  maxCost: number;
  /** Directives in the whole operation. */
  maxDirectives: number;
}

/** Depth 15 leaves room for the introspection query of Apollo Sandbox (14 levels). */
export const DEFAULT_LIMITS: OperationLimits = { maxDepth: 15, maxAliases: 30, maxCost: 20_000, maxDirectives: 50 };

/** What an operation measures, for the checks and for tests. */
export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
  directives: number;
}

const LIST_SIZE_ARGS = new Set(['first', 'last', 'limit']);

/**
 * Measures the selected operation of `document`: depth, aliases, directives and an estimated cost.
 * Fragment spreads are expanded once per path; a fragment cycle (invalid anyway) stops the walk.
 */
export function measureOperation(
  document: DocumentNode,
  operationName?: string | null,
  variables: Record<string, unknown> = {},
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName))
      operation ??= def;
  }
  const m: OperationMeasure = { depth: 0, aliases: 0, cost: 0, directives: operation?.directives?.length ?? 0 };
  if (!operation) return m;

  const walk = (set: SelectionSetNode, depth: number, multiplier: number, seen: Set<string>): void => {
    for (const sel of set.selections) {
      m.directives += sel.directives?.length ?? 0;
      if (sel.kind === Kind.FIELD) {
        if (sel.alias) m.aliases += 1;
        m.depth = Math.max(m.depth, depth);
        if (!sel.name.value.startsWith('__')) m.cost += multiplier;
        if (sel.selectionSet)
          walk(sel.selectionSet, depth + 1, multiplier * listSize(sel.arguments ?? [], variables), seen);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.selectionSet, depth, multiplier, seen);
      } else {
        const name = sel.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        walk(fragment.selectionSet, depth, multiplier, new Set(seen).add(name));
      }
    }
  };
  walk(operation.selectionSet, 1, 1, new Set());
  return m;
}

function listSize(
  args: readonly { name: { value: string }; value: { kind: string; value?: unknown; name?: { value: string } } }[],
  variables: Record<string, unknown>,
): number {
  for (const a of args) {
    if (!LIST_SIZE_ARGS.has(a.name.value)) continue;
    const raw =
      a.value.kind === Kind.VARIABLE
        ? variables[a.value.name!.value]
        : a.value.kind === Kind.INT
          ? Number(a.value.value)
          : undefined;
    if (typeof raw === 'number' && Number.isFinite(raw) && raw > 0) return raw;
  }
  return 1;
}

/** The shape problems of `m` (depth, aliases, directives) as coded errors; empty when within limits. */
export function shapeViolations(m: OperationMeasure, limits: OperationLimits): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const refuse = (code: string, message: string) => errors.push(new GraphQLError(message, { extensions: { code } }));
  if (m.depth > limits.maxDepth)
    refuse('QUERY_TOO_DEEP', `The operation is ${m.depth} levels deep; at most ${limits.maxDepth} are allowed.`);
  if (m.aliases > limits.maxAliases)
    refuse('TOO_MANY_ALIASES', `The operation uses ${m.aliases} aliases; at most ${limits.maxAliases} are allowed.`);
  if (m.directives > limits.maxDirectives)
    refuse(
      'TOO_MANY_DIRECTIVES',
      `The operation uses ${m.directives} directives; at most ${limits.maxDirectives} are allowed.`,
    );
  return errors;
}

/** Throws QUERY_TOO_COMPLEX (HTTP 400) when the estimated cost, with the request's variables, exceeds the limit. */
export function enforceCost(m: OperationMeasure, limits: OperationLimits): void {
  if (m.cost > limits.maxCost) {
    throw new GraphQLError(
      `The operation's estimated cost is ${m.cost}; at most ${limits.maxCost} is allowed. Ask for smaller pages.`,
      {
        extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
      },
    );
  }
}

/**
 * A validation rule refusing operations that are too deep or use too many aliases or directives.
 * As a validation rule it runs on the parsed document before anything executes, and its result is
 * cached with the document.
 */
export function operationShapeRule(limits: OperationLimits): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(node) {
      for (const error of shapeViolations(measureOperation(context.getDocument(), node.name?.value ?? null), limits)) {
        context.reportError(new GraphQLError(error.message, { nodes: [node], extensions: error.extensions }));
      }
    },
  });
}
