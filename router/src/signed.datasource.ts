import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CORRELATION_HEADER, IDENTITY_HEADER, signIdentity, type Identity } from '@supergraph/kit';
import makeFetchHappen from 'make-fetch-happen';
import type { Histogram } from 'prom-client';

/** What the router keeps per client request. */
export interface RouterContext {
  identity: Identity;
  correlationId: string;
}

/**
 * A subgraph data source that signs every fetch: the caller's identity and correlation id go in
 * `x-router-identity` (a 60-second HS256 token) and `x-correlation-id`. Fetches are timed per
 * subgraph and bounded by `timeoutMs`.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    private readonly serviceName: string,
    url: string,
    private readonly secret: string,
    timeoutMs: number,
    private readonly fetchSeconds?: Histogram<'subgraph' | 'outcome'>,
  ) {
    // Keep-alive sockets to each subgraph, no hidden retries, and a hard timeout per fetch.
    super({ url, fetcher: makeFetchHappen.defaults({ maxSockets: 256, retry: false, timeout: timeoutMs }) as never });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): Promise<void> {
    const identity = context?.identity ?? {};
    const correlationId = context?.correlationId ?? '';
    request.http!.headers.set(IDENTITY_HEADER, await signIdentity(identity, correlationId, this.secret));
    if (correlationId) request.http!.headers.set(CORRELATION_HEADER, correlationId);
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>) {
    const end = this.fetchSeconds?.startTimer({ subgraph: this.serviceName });
    try {
      const response = await super.process(options);
      end?.({ outcome: response.errors?.length ? 'graphql_error' : 'ok' });
      return response;
    } catch (err) {
      end?.({ outcome: 'fetch_error' });
      throw err;
    }
  }
}
