import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';

/** Resolvers in the shape buildSubgraphSchema takes (including __resolveReference). */

export type Resolvers = Record<string, Record<string, any>>;

/** Serves an ApolloServer on a node HTTP server (POST/GET /graphql), without extra integrations. */
export function apolloHandler(
  server: ApolloServer<Record<string, unknown>>,
  context: (req: IncomingMessage) => Record<string, unknown> = () => ({}),
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: req.method ?? 'GET',
          headers,
          search: url.search,
          body: raw ? JSON.parse(raw) : undefined,
        },
        context: async () => context(req),
      });
      res.statusCode = response.status ?? 200;
      for (const [k, v] of response.headers) res.setHeader(k, v);
      if (response.body.kind === 'complete') res.end(response.body.string);
      else {
        for await (const part of response.body.asyncIterator) res.write(part);
        res.end();
      }
    } catch (err) {
      res.statusCode = 500;
      res.end(JSON.stringify({ errors: [{ message: (err as Error).message }] }));
    }
  };
}

/** Listens on 127.0.0.1 (port 0: a free one) and resolves the port. */
export function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** A live subgraph: HTTP for queries/entities, graphql-ws on the same port, killable and restartable. */
export interface RunningSubgraph {
  name: string;
  port: number;
  url: string;
  typeDefs: DocumentNode;
  /** Drops every connection and stops listening, as a crash would. */
  kill(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  /** Kills it and stops its ApolloServer, for good. */
  stop(): Promise<void>;
  /** Stops reading every open WebSocket (a hung process): pings go unanswered. */
  freeze(): void;
  /** Connection params of the last graphql-ws connection_init. */
  lastConnectionParams?: Record<string, unknown>;
}

/** Starts a federated subgraph from SDL + resolvers, with graphql-ws when it has subscriptions. */
export async function startSubgraph(opts: {
  name: string;
  typeDefs: string;
  resolvers: Resolvers;
  /** graphql-ws onConnect: return false to refuse the connection (4403). */
  onConnect?: (params: Record<string, unknown> | undefined) => boolean;
}): Promise<RunningSubgraph> {
  const typeDefs = parse(opts.typeDefs);
  const schema: GraphQLSchema = buildSubgraphSchema({ typeDefs, resolvers: opts.resolvers as never });
  const apollo = new ApolloServer<Record<string, unknown>>({ schema });
  await apollo.start();
  let http: Server | undefined;
  let wss: WebSocketServer | undefined;
  let dispose: (() => void | Promise<void>) | undefined;

  const sub: RunningSubgraph = {
    name: opts.name,
    port: 0,
    url: '',
    typeDefs,
    kill: async () => {
      for (const c of wss?.clients ?? []) c.terminate();
      const d = dispose;
      dispose = undefined;
      await d?.();
      http?.closeAllConnections();
      await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
      http = undefined;
    },
    restart: async () => {
      http = createServer((req, res) => void apolloHandler(apollo, () => ({ headers: req.headers }))(req, res));
      wss = new WebSocketServer({ server: http, path: '/graphql' });
      dispose = useServer(
        {
          schema,
          onConnect: (ctx) => {
            sub.lastConnectionParams = ctx.connectionParams as Record<string, unknown> | undefined;
            return opts.onConnect ? opts.onConnect(sub.lastConnectionParams) : true;
          },
        },
        wss,
        0,
      ).dispose;
      sub.port = await listen(http, sub.port);
      sub.url = `http://127.0.0.1:${sub.port}/graphql`;
    },
    freeze: () => {
      for (const c of wss?.clients ?? []) c.pause();
    },
    stop: async () => {
      await sub.kill();
      await apollo.stop();
    },
  };
  await sub.restart();
  return sub;
}

/**
 * A hub of live events with a real `return()`: each subscriber is an async iterator that ends at
 * once when the subscription is closed, so `open` counts live subgraph subscriptions exactly.
 */
export class EventHub<T> {
  /** Live subscriptions on this subgraph. */
  open = 0;
  private readonly subscribers = new Set<(value: T) => void>();

  /** Delivers `value` to every live subscriber. */
  publish(value: T): void {
    for (const s of this.subscribers) s(value);
  }

  /** A new live subscription, optionally filtered. */
  subscribe(filter: (value: T) => boolean = () => true): AsyncIterableIterator<T> {
    const queue: T[] = [];
    let waiting: ((r: IteratorResult<T>) => void) | undefined;
    let done = false;
    const push = (value: T) => {
      if (!filter(value)) return;
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w({ value, done: false });
      } else queue.push(value);
    };
    this.subscribers.add(push);
    this.open++;
    const end = () => {
      if (done) return;
      done = true;
      this.subscribers.delete(push);
      this.open--;
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w({ value: undefined, done: true });
      }
    };
    const it: AsyncIterableIterator<T> = {
      next: () =>
        queue.length
          ? Promise.resolve({ value: queue.shift()!, done: false })
          : done
            ? Promise.resolve({ value: undefined, done: true })
            : new Promise((r) => {
                waiting = r;
              }),
      return: () => {
        end();
        return Promise.resolve({ value: undefined, done: true });
      },
      throw: (e) => {
        end();
        return Promise.reject(e);
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }
}
