import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import type { Histogram } from 'prom-client';
import type { RouterConfig } from './config';
import { SignedDataSource, type FetchSharing } from './signed.datasource';

/** The gateway and the subgraph URLs it actually uses (supergraph URLs with overrides applied). */
export interface RouterGateway {
  gateway: ApolloGateway;
  supergraphSdl: string;
  subgraphUrls: Record<string, string>;
}

/**
 * An ApolloGateway on the static supergraph from `npm run compose`, with signed, timed data
 * sources sharing what `sharing` allows (entity cache). `<NAME>_URL` overrides replace the URLs written in the supergraph.
 */
export function createGateway(
  config: RouterConfig,
  fetchSeconds?: Histogram<'subgraph' | 'outcome'>,
  sharing?: FetchSharing,
): RouterGateway {
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const subgraphUrls = Object.fromEntries(
    Supergraph.build(supergraphSdl)
      .subgraphsMetadata()
      .map((s) => [s.name, config.subgraphUrls[s.name] ?? s.url]),
  );
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) =>
      new SignedDataSource(name, subgraphUrls[name]!, config.signingSecret, config.resilience, fetchSeconds, sharing),
  });
  return { gateway, supergraphSdl, subgraphUrls };
}
