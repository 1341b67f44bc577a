import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** A cache policy, or a restriction of one, as Apollo Server's `CacheHint`. */
export interface CacheHint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

/** A `@cacheControl` annotation as written on a type or field. */
interface Annotation extends CacheHint {
  inheritMaxAge?: true;
}

const UNCACHEABLE = 'no-store';
const CACHEABLE_HEADER = /^max-age=(\d+), (public|private)$/;

/**
 * Apollo Server's cache-control semantics (`@cacheControl` on types and fields, the default max age
 * of 0 for root fields and fields returning objects, `inheritMaxAge`, the `Cache-Control` header),
 * computed once per query document instead of once per resolved field.
 *
 * Apollo's own plugin hooks `willResolveField`, so Apollo Server wraps every resolver of the schema
 * and builds a policy object for each field of each answer: a page of 20 cases pays it some 150
 * times (bench/optimisations.md, entry 19). Here the policy is the restriction of every field the
 * operation selects, on every object type it may be resolved on, read from the schema. That is
 * Apollo's answer whenever every selected field is resolved; where some are not (an empty list, a
 * null object, a fragment on another type, `@skip`), this one is the same or stricter, never more
 * cacheable. The one dynamic hint in play is @apollo/subgraph's: `_entities` takes the hints of the
 * types of the representations it is given, which this reads from each request's arguments. No
 * resolver of ours sets a hint (`info.cacheControl` is not offered).
 *
 * Returns the plugins to install: Apollo's cache-control plugin disabled, and this one.
 */
export function cachePolicyPlugins<C extends object>(defaultMaxAge = 0): ApolloServerPlugin<C>[] {
  let policies = new WeakMap<DocumentNode, Map<string, OperationPolicy>>();
  let forSchema: GraphQLSchema | undefined;
  const policyOf = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) => {
    if (schema !== forSchema) [forSchema, policies] = [schema, new WeakMap()];
    let byName = policies.get(document);
    if (!byName) policies.set(document, (byName = new Map()));
    const name = operation.name?.value ?? '';
    let policy = byName.get(name);
    if (!policy) byName.set(name, (policy = operationCachePolicy(schema, document, operation, defaultMaxAge)));
    return policy;
  };
  return [
    ApolloServerPluginCacheControlDisabled(),
    {
      async requestDidStart() {
        return {
          async executionDidStart({ schema, document, operation, request, overallCachePolicy }) {
            const policy = policyOf(schema, document, operation);
            overallCachePolicy.restrict(policy.fixed);
            for (const representations of policy.entities) {
              overallCachePolicy.restrict(entitiesPolicy(schema, representations, request.variables, defaultMaxAge));
            }
          },
          async willSendResponse({ response, overallCachePolicy }) {
            cacheControlHeader(response, overallCachePolicy);
          },
        };
      },
    },
  ];
}

/** An operation's cache policy: a fixed part, and the `representations` of each `_entities` it selects. */
export interface OperationPolicy {
  fixed: CacheHint;
  entities: ValueNode[];
}

/**
 * The policy of an `_entities` field as @apollo/subgraph sets it at run time: restricted by the
 * hint of each representation's type, and by the default max age where none has one.
 */
function entitiesPolicy(
  schema: GraphQLSchema,
  representations: ValueNode,
  variables: Record<string, unknown> | undefined,
  defaultMaxAge: number,
): CacheHint {
  const given =
    representations.kind === Kind.VARIABLE
      ? variables?.[representations.name.value]
      : valueFromASTUntyped(representations, variables);
  const policy: CacheHint = {};
  const typenames = new Set<unknown>();
  for (const r of Array.isArray(given) ? given : []) typenames.add((r as { __typename?: unknown } | null)?.__typename);
  for (const typename of typenames) {
    const type = typeof typename === 'string' ? schema.getType(typename) : undefined;
    if (isObjectType(type) || isInterfaceType(type)) restrict(policy, typeAnnotation(type));
  }
  if (policy.maxAge === undefined) restrict(policy, { maxAge: defaultMaxAge });
  return policy;
}

/**
 * Sets `Cache-Control` as Apollo's plugin does: a header a resolver already set can only restrict
 * the policy (one it cannot read is left alone); an answer with errors is `no-store`.
 */
function cacheControlHeader(
  response: GraphQLRequestContextWillSendResponse<object>['response'],
  overall: CacheHint,
): void {
  const existing = response.http.headers.get('cache-control');
  const given = existing ? CACHEABLE_HEADER.exec(existing) : null;
  if (existing && existing !== UNCACHEABLE && !given) return;
  const policy: CacheHint = { maxAge: overall.maxAge, scope: overall.scope };
  if (given) restrict(policy, { maxAge: Number(given[1]), scope: given[2] === 'public' ? 'PUBLIC' : 'PRIVATE' });
  const cacheable =
    !!policy.maxAge &&
    existing !== UNCACHEABLE &&
    response.body.kind === 'single' &&
    !response.body.singleResult.errors;
  response.http.headers.set(
    'cache-control',
    cacheable ? `max-age=${policy.maxAge}, ${(policy.scope ?? 'PUBLIC').toLowerCase()}` : UNCACHEABLE,
  );
}

/**
 * The cache policy of `operation`: every field it selects (through fragments, on every object type
 * an abstract type may be), restricted as Apollo's plugin restricts a resolved field; except the
 * root `_entities` fields, whose own restriction depends on each request's representations.
 */
export function operationCachePolicy(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  defaultMaxAge = 0,
): OperationPolicy {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root = schema.getRootType(operation.operation);
  const policy: OperationPolicy = { fixed: {}, entities: [] };
  const objectTypes = (t: GraphQLCompositeType): readonly GraphQLObjectType[] =>
    isAbstractType(t) ? schema.getPossibleTypes(t) : isObjectType(t) ? [t] : [];
  const visit = (selections: SelectionSetNode, parents: readonly GraphQLObjectType[], atRoot: boolean) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        // Meta fields (__typename, __schema, __type) are not among the fields Apollo's plugin sees.
        if (selection.name.value.startsWith('__')) continue;
        for (const parent of parents) {
          const field = parent.getFields()[selection.name.value];
          if (!field) continue;
          const representations = atRoot && field.name === '_entities' && argument(selection, 'representations');
          if (representations) policy.entities.push(representations);
          else restrict(policy.fixed, fieldPolicy(field, atRoot, defaultMaxAge));
          const target = getNamedType(field.type);
          if (selection.selectionSet && isCompositeType(target))
            visit(selection.selectionSet, objectTypes(target), false);
        }
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (!fragment) continue;
        const condition = fragment.typeCondition && schema.getType(fragment.typeCondition.name.value);
        const allowed = condition && isCompositeType(condition) ? new Set(objectTypes(condition)) : undefined;
        visit(fragment.selectionSet, allowed ? parents.filter((p) => allowed.has(p)) : parents, atRoot);
      }
    }
  };
  if (root) visit(operation.selectionSet, [root], true);
  return policy;
}

const argument = (field: FieldNode, name: string): ValueNode | undefined =>
  field.arguments?.find((a) => a.name.value === name)?.value;

/** What Apollo's plugin restricts the overall policy by when `field` has been resolved. */
function fieldPolicy(field: GraphQLField<unknown, unknown>, atRoot: boolean, defaultMaxAge: number): CacheHint {
  const policy: CacheHint = {};
  const target = getNamedType(field.type);
  let inheritMaxAge = false;
  if (isCompositeType(target)) {
    const onType = typeAnnotation(target);
    replace(policy, onType);
    inheritMaxAge = !!onType.inheritMaxAge;
  }
  const onField = annotationOf(field.astNode?.directives) ?? {};
  if (onField.inheritMaxAge && policy.maxAge === undefined) {
    inheritMaxAge = true;
    if (onField.scope) policy.scope = onField.scope;
  } else replace(policy, onField);
  if (policy.maxAge === undefined && ((isCompositeType(target) && !inheritMaxAge) || atRoot)) {
    restrict(policy, { maxAge: defaultMaxAge });
  }
  return policy;
}

function typeAnnotation(type: GraphQLCompositeType): Annotation {
  const known = annotations.get(type);
  if (known) return known;
  const found = readTypeAnnotation(type);
  annotations.set(type, found);
  return found;
}

const annotations = new WeakMap<GraphQLCompositeType, Annotation>();

function readTypeAnnotation(type: GraphQLCompositeType): Annotation {
  for (const node of [type.astNode, ...(type.extensionASTNodes ?? [])]) {
    const found = annotationOf(node?.directives);
    if (found) return found;
  }
  return {};
}

function annotationOf(directives: readonly ConstDirectiveNode[] | undefined): Annotation | undefined {
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  if (!directive?.arguments) return undefined;
  const arg = (name: string) => directive.arguments!.find((a) => a.name.value === name)?.value;
  const scopeValue = arg('scope');
  const scope =
    scopeValue?.kind === Kind.ENUM && (scopeValue.value === 'PUBLIC' || scopeValue.value === 'PRIVATE')
      ? scopeValue.value
      : undefined;
  const inherit = arg('inheritMaxAge');
  if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true, scope };
  const maxAge = arg('maxAge');
  return { maxAge: maxAge?.kind === Kind.INT ? parseInt(maxAge.value, 10) : undefined, scope };
}

/** Apollo's `CachePolicy.restrict`: the lower max age; PRIVATE once any part is. */
function restrict(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) {
    policy.maxAge = hint.maxAge;
  }
  if (hint.scope !== undefined && policy.scope !== 'PRIVATE') policy.scope = hint.scope;
}

/** Apollo's `CachePolicy.replace`: what the hint sets, it sets. */
function replace(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined) policy.scope = hint.scope;
}
