import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, getMetadataStorage, type BuildSchemaOptions } from 'type-graphql';
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
  plainFieldsUnwrapped(options);
  const schema = await buildSchema({ ...options, scalarsMap, directives, skipCheck: true });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, extra] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...extra };
  }
  const sdl = `${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`;
  return buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as SubgraphModule['resolvers'] });
}

/**
 * Lets graphql-js's default resolver read plain fields (those without a field resolver): type-graphql
 * otherwise gives each one a resolver that builds its middleware arguments on every call, for
 * nothing here, where no field has a middleware or `@Authorized` (authorization lives in resolvers,
 * with the router's identity). That is type-graphql's `simpleResolvers`, set on every object type.
 * A field whose property is named apart from its GraphQL name keeps its resolver; a field
 * middleware, `@Authorized` on a field, or global middlewares or an auth checker are refused at
 * build time, since plain fields would skip them.
 */
function plainFieldsUnwrapped(options: Omit<BuildSchemaOptions, 'skipCheck'>): void {
  const storage = getMetadataStorage();
  const classes = new Set<unknown>([...storage.objectTypes, ...storage.interfaceTypes].map((t) => t.target));
  const guarded = [...storage.middlewares, ...storage.authorizedFields].find((m) => classes.has(m.target));
  if (guarded || options.globalMiddlewares?.length || options.authChecker) {
    const where = guarded ? `${guarded.target.name}.${guarded.fieldName}` : 'buildSchema options';
    throw new Error(`field middlewares and @Authorized are not supported in subgraphs (${where})`);
  }
  for (const field of storage.fields) if (field.name !== field.schemaName) field.simple ??= false;
  for (const type of storage.objectTypes) type.simpleResolvers ??= true;
}
