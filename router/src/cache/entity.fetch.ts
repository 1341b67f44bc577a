import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GraphQLFormattedError } from 'graphql';
import type { Counter } from 'prom-client';
import type { RouterContext } from '../signed.datasource';
import { entityOf, type CachePolicy, type EntityCache, type Representation } from './entity.cache';

type Options = GraphQLDataSourceProcessOptions<RouterContext>;
type Answer = {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
};

/** Sends a fetch to the subgraph and says what its `Cache-Control` header allowed. */
export type EntitySend = (options: Options) => Promise<{ answer: Answer; policy?: CachePolicy }>;

/** Whether a subgraph fetch is the gateway's `_entities` query. */
export function isEntitiesFetch(options: Options): boolean {
  const reps = options.request.variables?.representations;
  return (
    Array.isArray(reps) && reps.length > 0 && /^\s*query\b[^{]*\{\s*_entities\s*\(/.test(options.request.query ?? '')
  );
}

/**
 * Serves an `_entities` fetch from the cache where it can: cached representations are answered
 * at once, the others are fetched in one smaller batch, and the two are merged back in the order
 * the gateway asked (errors' paths renumbered to match). What comes back is stored per
 * representation as the answer's `Cache-Control` allows, PRIVATE answers under the caller's
 * identity only; entities that came back with an error are not stored.
 */
export async function fetchEntities(
  cache: EntityCache,
  subgraph: string,
  options: Options,
  send: EntitySend,
  outcomes?: Counter<'subgraph' | 'outcome'>,
): Promise<Answer> {
  const reps = options.request.variables!.representations as Representation[];
  const query = options.request.query!;
  const publicPrefix = `${subgraph}\u0000${query}\u0000`;
  const privatePrefix = `${subgraph}\u0000${JSON.stringify(options.context?.identity ?? {})}\u0000${query}\u0000`;
  const keys = reps.map((rep) => JSON.stringify(rep));
  const found = keys.map((k) => cache.lookup(publicPrefix + k) ?? cache.lookup(privatePrefix + k));
  const missing = found.flatMap((value, i) => (value === undefined ? [i] : []));
  outcomes?.inc({ subgraph, outcome: 'hit' }, reps.length - missing.length);
  outcomes?.inc({ subgraph, outcome: 'miss' }, missing.length);
  if (!missing.length) return { data: { _entities: found } };

  const subset: Options =
    missing.length === reps.length
      ? options
      : {
          ...options,
          request: {
            ...options.request,
            variables: { ...options.request.variables, representations: missing.map((i) => reps[i]) },
          },
        };
  const startedAt = cache.mark();
  const { answer, policy } = await send(subset);
  const fetched = answer.data?._entities;
  if (!Array.isArray(fetched) || fetched.length !== missing.length) {
    return missing.length === reps.length ? answer : { ...answer, errors: renumber(answer.errors, missing) };
  }
  const failed = new Set(
    (answer.errors ?? []).map((e) => e.path?.[1]).filter((i): i is number => typeof i === 'number'),
  );
  fetched.forEach((entity, j) => {
    const rep = reps[missing[j]!]!;
    if (policy && entity !== null && !failed.has(j) && rep.id !== undefined) {
      const prefix = policy.scope === 'PRIVATE' ? privatePrefix : publicPrefix;
      cache.store(prefix + keys[missing[j]!], entityOf(rep.__typename, rep.id), entity, policy, startedAt);
    }
    found[missing[j]!] = entity;
  });
  return { ...answer, data: { ...answer.data, _entities: found }, errors: renumber(answer.errors, missing) };
}

/** Errors of the smaller batch, with `_entities.<j>` paths pointing at the gateway's index again. */
function renumber(
  errors: readonly GraphQLFormattedError[] | undefined,
  missing: number[],
): GraphQLFormattedError[] | undefined {
  if (!errors) return undefined;
  return errors.map((e) => {
    const j = e.path?.[1];
    if (e.path?.[0] !== '_entities' || typeof j !== 'number' || missing[j] === undefined) return e;
    return { ...e, path: ['_entities', missing[j]!, ...e.path.slice(2)] };
  });
}
