/**
 * GraphQL Code Generator configuration: typed documents for the client operations the project
 * keeps (operations/*.graphql, taken from the client contract) against the composed API schema.
 * `npm run codegen` runs it (scripts/codegen.ts, using @graphql-codegen/core); the same file works
 * with the `graphql-codegen` CLI.
 */
const config = {
  overwrite: true,
  schema: 'schema/api.graphql',
  documents: ['operations/*.graphql'],
  generates: {
    'operations/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-operations', 'typed-document-node'],
      config: {
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true },
        scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>' },
        useTypeImports: true,
        skipTypename: true,
      },
    },
  },
};

export default config;
