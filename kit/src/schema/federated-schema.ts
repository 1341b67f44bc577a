import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import { SUBGRAPH_DIRECTIVES } from './cache-control';
import { DateTimeISO } from './scalars';

type SubgraphModule = Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>;

/** The Federation version and directives every subgraph links; kept in one place. */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", ' +
  'import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@override"])';

/** `__resolveReference` functions by type name, for the entities a subgraph owns or extends. */
// `any`: each subgraph's resolver takes its own reference, context and info types (parameters are contravariant).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReferenceResolvers = Record<string, { __resolveReference: (ref: any, ctx: any, info: any) => unknown }>;

/**
 * Builds a Federation 2 subgraph schema from type-graphql resolvers: type-graphql builds the schema
 * (with `skipCheck`, since federation adds `_entities`), its SDL is printed with directives so
 * `@key` survives, the federation `@link` is prepended, and `@apollo/subgraph` builds the final
 * schema from that SDL and type-graphql's resolver map with the reference resolvers merged in.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  // Dates parse with the kit's DateTimeISO, which refuses instants storage cannot hold.
  const scalarsMap = [{ type: Date, scalar: DateTimeISO }, ...(options.scalarsMap ?? [])];
  const directives = [...SUBGRAPH_DIRECTIVES, ...(options.directives ?? [])];
  const schema = await buildSchema({ ...options, scalarsMap, directives, skipCheck: true });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, extra] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...extra };
  }
  const sdl = `${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`;
  return buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as SubgraphModule['resolvers'] });
}
