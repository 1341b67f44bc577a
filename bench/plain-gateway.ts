import type { Server } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { IDENTITY_HEADER, closeServer, listen, signIdentity, type Identity } from '@supergraph/kit';

/**
 * A plain `@apollo/gateway` + Apollo Server with their defaults, for comparison with our router.
 * The only addition is what our subgraphs require to answer at all: the signed identity header
 * (here for a fixed identity, signed once per minute).
 */
export async function startPlainGateway(opts: { supergraphSdl: string; urls: Record<string, string>; secret: string; identity: Identity }): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  let token = '';
  let signedAt = 0;
  const signed = async () => {
    if (Date.now() - signedAt > 30_000) {
      token = await signIdentity(opts.identity, 'bench-plain-gateway', opts.secret);
      signedAt = Date.now();
    }
    return token;
  };
  class Signed extends RemoteGraphQLDataSource {
    override async willSendRequest({ request }: Parameters<NonNullable<RemoteGraphQLDataSource['willSendRequest']>>[0]) {
      request.http!.headers.set(IDENTITY_HEADER, await signed());
    }
  }
  const gateway = new ApolloGateway({ supergraphSdl: opts.supergraphSdl, buildService: ({ name }) => new Signed({ url: opts.urls[name] }) });
  const apollo = new ApolloServer({ gateway });
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  const { server, port } = await listen(app, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    server,
    async stop() {
      await closeServer(server);
      await apollo.stop();
    },
  };
}
