import {
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLInt,
  parse,
  specifiedDirectives,
  type EnumTypeDefinitionNode,
} from 'graphql';

/** `PUBLIC` answers may be shared between callers; `PRIVATE` ones only with the same caller. */
export const CacheControlScope = new GraphQLEnumType({
  name: 'CacheControlScope',
  values: { PUBLIC: {}, PRIVATE: {} },
  // A subgraph's business only: kept out of the client API.
  astNode: parse('enum CacheControlScope @inaccessible { PUBLIC PRIVATE }').definitions[0] as EnumTypeDefinitionNode,
});

/**
 * Apollo's `@cacheControl` directive. A subgraph puts it on types and fields
 * (`@Directive('@cacheControl(maxAge: 300)')`); the kit's `cachePolicyPlugins` turn the hints of
 * an answer into its `Cache-Control` header, by Apollo Server's rules, and the router caches
 * entities by it.
 */
export const cacheControlDirective = new GraphQLDirective({
  name: 'cacheControl',
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.UNION],
  args: {
    maxAge: { type: GraphQLInt },
    scope: { type: CacheControlScope },
    inheritMaxAge: { type: GraphQLBoolean },
  },
});

/** The directives every subgraph schema defines: graphql-js's own and `@cacheControl`. */
export const SUBGRAPH_DIRECTIVES = [...specifiedDirectives, cacheControlDirective];
