import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@supergraph/kit';
import type { RouterContext } from '../signed.datasource';

interface ValueCompletionError {
  message?: string;
  path?: ReadonlyArray<string | number>;
}

/**
 * When a subgraph answers without an error but leaves out (or nulls) a field the schema says is
 * non-null, `@apollo/gateway` nulls the enclosing data and reports why only under
 * `extensions.valueCompletion`, so the client gets `{"data": null}` and no error at all. This
 * plugin turns those reports into real errors (code INTERNAL_SERVER_ERROR, with their paths and
 * without internals) and logs them with the operation name and correlation id, for the operator to
 * find the subgraph at fault.
 */
export function valueCompletionPlugin(log: Logger): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          const body = rc.response.body;
          if (body.kind !== 'single') return;
          const result = body.singleResult;
          const reports = result.extensions?.valueCompletion as ValueCompletionError[] | undefined;
          if (!reports?.length) return;
          log.error(
            {
              operation: rc.operationName,
              correlationId: (rc.contextValue as Partial<RouterContext>)?.correlationId,
              valueCompletion: reports,
            },
            'a subgraph returned null or nothing for a non-null field',
          );
          const { valueCompletion: _reported, ...rest } = result.extensions!;
          result.extensions = Object.keys(rest).length ? rest : undefined;
          result.errors = [
            ...(result.errors ?? []),
            ...reports.map((r) => ({
              message: 'A service returned an incomplete answer for this field.',
              ...(r.path ? { path: r.path } : {}),
              extensions: { code: 'INTERNAL_SERVER_ERROR' },
            })),
          ];
        },
      };
    },
  };
}
