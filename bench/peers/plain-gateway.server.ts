/**
 * A bench peer in its own process: a plain `@apollo/gateway` + Apollo Server (express integration)
 * with their defaults, on the supergraph file BENCH_SUPERGRAPH_FILE (subgraph URLs: the running
 * ones). The only additions are what our subgraphs require to answer at all, done the way our
 * router does them: the bearer token verified against the users JWKS and the caller's identity
 * signed on every subgraph fetch (see peer.identity.ts). Listens on a free loopback port and
 * reports it to the parent.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { listen } from '@supergraph/kit';
import { PeerIdentity, peerSettings, reportPort, type PeerCaller } from './peer.identity';

async function main(): Promise<void> {
  const settings = peerSettings();
  const peer = new PeerIdentity(settings);
  class Signed extends RemoteGraphQLDataSource<PeerCaller> {
    override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<PeerCaller>): Promise<void> {
      const caller: PeerCaller = context?.identity ? (context as PeerCaller) : { identity: {}, correlationId: '' };
      for (const [name, value] of Object.entries(await peer.subgraphHeaders(caller)))
        request.http!.headers.set(name, value);
    }
  }
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(settings.supergraphFile, 'utf8'),
    buildService: ({ url }) => new Signed({ url }),
  });
  const apollo = new ApolloServer<PeerCaller>({ gateway });
  await apollo.start();
  const app = express();
  app.use(
    '/graphql',
    express.json(),
    expressMiddleware(apollo, { context: ({ req }) => peer.caller(req.headers.authorization) }),
  );
  const { port } = await listen(app, 0, '127.0.0.1');
  reportPort(port);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
