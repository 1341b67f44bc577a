import type WebSocket from 'ws';
import {
  parse,
  specifiedRules,
  validate,
  getOperationAST,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { GraphQLError } from 'graphql';
import type { Context, ServerOptions, SubscribePayload } from 'graphql-ws';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { unresolvedOperationMessage } from '@supergraph/kit';
import { CLOSE_CODES, sanitizeResult, subscriptionError, toGraphQLError, unauthorizedReason } from './errors';
import {
  EventResolver,
  prepareOperation,
  requestContext,
  splitSubscriptionPlan,
  stableStringify,
  upstreamVariables,
  type PreparedOperation,
} from './operation.executor';
import { SupergraphState } from './plan.cache';
import { UpstreamPool } from './upstream.pool';
import { ClientSubscription, type ClientState } from './client.subscription';
import { ClientRegistry } from './client.registry';
import type { ConnectionParams, SubscriptionEngineOptions, SubscriptionStats } from './engine.options';

/**
 * Federated subscriptions for an ApolloGateway, served over graphql-ws. Each client subscription
 * is planned with the query planner; its primary fetch runs as a (shared) graphql-ws subscription
 * on the owning subgraph and each event's `rest` runs through the gateway's executeQueryPlan.
 * Construct it before `ApolloServer.start()` so it sees the gateway's first schema load, or call
 * {@link reload}. Attach it to a `ws` server with `attachSubscriptionEngine`.
 *
 * Backpressure: a client whose undelivered events (over all its subscriptions) exceed
 * `maxQueuedEvents` has its backlog dropped and its socket closed with 4429 "Too many queued
 * events". The socket is closed rather than one subscription ended with an error, because a client
 * that does not read would not read that error either; a client that reconnects starts clean.
 */
export class SubscriptionEngine<TIdentity = unknown> {
  /** Ping interval the attached ws servers use. */
  readonly keepAlive: number;
  private state?: SupergraphState;
  private readonly pool: UpstreamPool;
  private readonly clients: ClientRegistry<TIdentity>;
  private readonly unlisten: () => void;
  private closed = false;

  constructor(private readonly opts: SubscriptionEngineOptions<TIdentity>) {
    this.keepAlive = opts.keepAlive ?? 12_000;
    this.clients = new ClientRegistry({ ...opts, maxQueuedEvents: opts.maxQueuedEvents ?? 100 });
    this.pool = new UpstreamPool(
      { keepAlive: opts.upstreamKeepAlive ?? 1_000, timeout: opts.upstreamTimeout ?? 1_500 },
      opts.logger,
    );
    this.unlisten = opts.gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      if (this.state?.supergraphSdl !== coreSupergraphSdl) this.reload(coreSupergraphSdl, apiSchema);
    });
  }

  /**
   * Ends every authenticated client whose identity `ended` says no longer holds (a revoked
   * session): its subscriptions end at once, undelivered events dropped, and its socket closes
   * with 4401 "Unauthorized: <reason> (UNAUTHENTICATED)", as a refused connection_init does.
   * Anonymous clients are never asked. Returns how many clients were ended.
   */
  endClients(ended: (identity: TIdentity) => boolean, reason: string): number {
    return this.clients.endWhere(ended, reason);
  }

  /** Current counters. */
  stats(): SubscriptionStats {
    let clientSubscriptions = 0;
    for (const c of this.clients.all()) clientSubscriptions += c.subscriptions.size;
    return { clients: this.clients.size, clientSubscriptions, upstreams: this.pool.size };
  }

  /**
   * Switches to a new supergraph. Every current subscription ends with a SUBSCRIPTION_ENDED error
   * ("schema reloaded") then complete; new subscriptions are planned against the new supergraph.
   * @throws when `supergraphSdl` is not a valid supergraph (the old one stays in use)
   */
  reload(supergraphSdl: string, apiSchema: GraphQLSchema): void {
    const build = this.opts.buildService ?? ((_name: string, url: string) => new RemoteGraphQLDataSource({ url }));
    const next = new SupergraphState(supergraphSdl, apiSchema, build);
    const had = this.state !== undefined;
    this.state = next;
    if (had)
      this.pool.closeAll([
        subscriptionError('Subscription ended: schema reloaded. Subscribe again.', 'SUBSCRIPTION_ENDED', {
          reason: 'schema reloaded',
        }),
      ]);
  }

  /**
   * Ends every subscription (SUBSCRIPTION_ENDED "router shutting down", then complete), closes
   * every upstream and refuses new work. Resolves once graphql-ws has taken the final messages
   * (at most `drainMs` for clients that do not read), so closing the sockets next (with 1001,
   * left to the caller) does not cut them off.
   */
  async close(drainMs = 2_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unlisten();
    const finished = [...this.clients.all()].flatMap((c) => [...c.subscriptions].map((s) => s.queue.finished));
    this.pool.closeAll([
      subscriptionError('Subscription ended: the router is shutting down.', 'SUBSCRIPTION_ENDED', {
        reason: 'shutting down',
      }),
    ]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(finished),
      new Promise((r) => {
        timer = setTimeout(r, drainMs);
      }),
    ]);
    clearTimeout(timer);
    // graphql-ws sends `complete` in the microtasks after the iterator is done.
    await new Promise((r) => setImmediate(r));
  }

  /** The graphql-ws server options of this engine (for `useServer`); every hook catches its own errors. */
  serverOptions(): ServerOptions<ConnectionParams, { socket?: WebSocket }> {
    return {
      onConnect: (ctx) => this.onConnect(ctx),
      onClose: (ctx) => this.onClose(ctx),
      onSubscribe: (ctx, _id, payload) => this.onSubscribe(ctx, payload),
      subscribe: (args) => this.subscribe(args),
      execute: (args) => this.execute(args),
    };
  }

  private async onConnect(ctx: Context<ConnectionParams, { socket?: WebSocket }>): Promise<boolean> {
    const socket = ctx.extra.socket;
    if (this.closed) {
      socket?.close(CLOSE_CODES.goingAway, 'Router shutting down');
      return false;
    }
    let identity: TIdentity | null;
    try {
      identity = this.opts.authenticate ? await this.opts.authenticate(ctx.connectionParams) : null;
    } catch (err) {
      const e = err as { message?: unknown; code?: unknown; extensions?: { code?: unknown } };
      const code = e?.extensions?.code ?? e?.code;
      const why = typeof e?.message === 'string' && e.message ? e.message : 'invalid credentials';
      // Without the socket there is nothing more specific to do than graphql-ws's own 4403.
      socket?.close(CLOSE_CODES.unauthorized, unauthorizedReason(why, typeof code === 'string' ? code : undefined));
      return false;
    }
    try {
      const identityKey = this.opts.identityKey ? this.opts.identityKey(identity) : stableStringify(identity ?? null);
      const context = this.opts.context?.({ identity, connectionParams: ctx.connectionParams }) ?? {
        identity,
        connectionParams: ctx.connectionParams,
      };
      this.clients.add(ctx, { socket, identity, identityKey, context });
      return true;
    } catch (err) {
      this.opts.logger?.warn(`[subscriptions] connection refused: ${(err as Error)?.message ?? err}`);
      socket?.close(4500, 'Internal server error');
      return false;
    }
  }

  private onClose(ctx: Context<ConnectionParams>): void {
    try {
      this.clients.remove(ctx);
    } catch (err) {
      this.opts.logger?.warn(`[subscriptions] cleanup of a closed client failed: ${(err as Error)?.message ?? err}`);
    }
  }

  /** Parses and validates here so that parse errors and validation throws never reach graphql-ws (4500). */
  private onSubscribe(
    ctx: Context<ConnectionParams>,
    payload: SubscribePayload,
  ): ExecutionArgs | readonly GraphQLError[] {
    try {
      const client = this.clients.get(ctx);
      const state = this.state;
      if (!client || !state || this.closed)
        return [
          subscriptionError(
            this.closed ? 'The router is shutting down.' : 'The router has not loaded its schema yet.',
            'SUBGRAPH_UNAVAILABLE',
          ),
        ];
      const document = parse(payload.query, { maxTokens: this.opts.maxTokens });
      const errors = validate(state.apiGraphQLSchema, document, [
        ...specifiedRules,
        ...(this.opts.validationRules ?? []),
      ]);
      if (errors.length > 0) return errors.map((e) => toGraphQLError(e, 'BAD_USER_INPUT'));
      if (!getOperationAST(document, payload.operationName))
        return [subscriptionError(unresolvedOperationMessage(payload.operationName), 'OPERATION_RESOLUTION_FAILURE')];
      this.opts.checkOperation?.({
        document,
        operationName: payload.operationName,
        variables: payload.variables ?? {},
      });
      return {
        schema: state.apiGraphQLSchema,
        document,
        operationName: payload.operationName,
        variableValues: payload.variables ?? undefined,
        contextValue: client.context,
      };
    } catch (err) {
      return [toGraphQLError(err, 'BAD_USER_INPUT')];
    }
  }

  private prepare(
    args: ExecutionArgs,
  ): { client: ClientState<TIdentity>; state: SupergraphState; op: PreparedOperation } | ExecutionResult {
    const client = this.clients.ofContext(args.contextValue as object);
    const state = this.state;
    if (!client || !state || this.closed)
      return { errors: [subscriptionError('The router is shutting down.', 'SUBGRAPH_UNAVAILABLE')] };
    const op = prepareOperation(
      state,
      args.document,
      args.operationName,
      args.variableValues as Record<string, unknown> | undefined,
      client.identityKey,
    );
    return 'executionKey' in op ? { client, state, op } : op;
  }

  /** Queries and mutations over the socket: the gateway's own executor, with this client's context. */
  private async execute(args: ExecutionArgs): Promise<ExecutionResult> {
    try {
      const prepared = this.prepare(args);
      if (!('op' in prepared)) return prepared;
      const result = await this.opts.gateway.executor(
        requestContext(prepared.state, prepared.op, prepared.client.context),
      );
      return sanitizeResult(result as ExecutionResult);
    } catch (err) {
      return { errors: [toGraphQLError(err)] };
    }
  }

  private async subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    try {
      const prepared = this.prepare(args);
      if (!('op' in prepared)) return prepared;
      const { client, state, op } = prepared;
      let plan;
      try {
        plan = state.plan(op.document, op.operationName, `${op.operationName ?? ''}\0${op.source}`);
      } catch (err) {
        return { errors: [toGraphQLError(err, 'OPERATION_RESOLUTION_FAILURE')] };
      }
      const split = splitSubscriptionPlan(plan);
      if (!('primary' in split)) return split;
      const { primary, rest } = split;
      const httpUrl = state.urls[primary.serviceName];
      const sub = new ClientSubscription(
        new EventResolver(state, op, primary, rest),
        op.executionKey,
        client.context,
        client.budget,
        (s) => client.subscriptions.delete(s),
      );
      client.subscriptions.add(sub);
      const upstreamParams = this.opts.upstreamConnectionParams;
      sub.attach(
        this.pool.join(
          {
            serviceName: primary.serviceName,
            wsUrl: this.opts.subgraphWsUrl?.(primary.serviceName, httpUrl) ?? httpUrl.replace(/^http/, 'ws'),
            operation: primary.operation,
            operationName: primary.operationName,
            variables: upstreamVariables(primary, op.variables),
            identityKey: client.identityKey,
            connectionParams: upstreamParams ? () => upstreamParams(client.identity) : () => undefined,
          },
          sub,
        ),
      );
      return sub.queue;
    } catch (err) {
      return { errors: [toGraphQLError(err)] };
    }
  }
}
