import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import type { Histogram } from 'prom-client';
import type { RouterConfig } from './config';
import { SignedDataSource, type FetchSharing } from './signed.datasource';
import type { SingleFetchShortcut } from './single-fetch.shortcut';

/** The gateway and the subgraph URLs it actually uses (supergraph URLs with overrides applied). */
export interface RouterGateway {
  gateway: ApolloGateway;
  supergraphSdl: string;
  subgraphUrls: Record<string, string>;
}

/**
 * An ApolloGateway on the static supergraph from `npm run compose`, with signed, timed data
 * sources sharing what `sharing` allows (entity cache). `<NAME>_URL` overrides replace the URLs written in the supergraph.
 * With `shortcut`, it learns which plans are a single fetch.
 */
export function createGateway(
  config: RouterConfig,
  fetchSeconds?: Histogram<'subgraph' | 'outcome'>,
  sharing?: FetchSharing,
  shortcut?: SingleFetchShortcut,
): RouterGateway {
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const subgraphUrls = Object.fromEntries(
    Supergraph.build(supergraphSdl)
      .subgraphsMetadata()
      .map((s) => [s.name, config.subgraphUrls[s.name] ?? s.url]),
  );
  const gateway = new ApolloGateway({
    supergraphSdl,
    ...(shortcut ? { experimental_didResolveQueryPlan: shortcut.didResolveQueryPlan } : {}),
    buildService: ({ name }) =>
      new SignedDataSource(name, subgraphUrls[name]!, config.signingSecret, config.resilience, fetchSeconds, sharing),
  });
  shortcut?.attach(gateway);
  return { gateway, supergraphSdl, subgraphUrls };
}
