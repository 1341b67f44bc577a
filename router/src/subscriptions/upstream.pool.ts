import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import type { ExecutionResult, FormattedExecutionResult, GraphQLError } from 'graphql';
import { upstreamErrors } from './errors';
import { stableStringify } from './operation.executor';

/** One event from a subgraph, shared by every subscriber of its upstream. */
export interface UpstreamEvent {
  /** The subgraph's payload for the primary fetch. */
  readonly payload: FormattedExecutionResult;
  /** Per-event results by client execution key: each distinct client operation resolves an event once. */
  readonly results: Map<string, Promise<ExecutionResult>>;
}

/** A client subscription attached to an upstream. */
export interface UpstreamListener {
  onEvent(event: UpstreamEvent): void;
  /** The upstream ended: normally (`errors` undefined) or with errors for the client. */
  onEnd(errors?: GraphQLError[]): void;
}

/** What identifies (and opens) one upstream subscription. */
export interface UpstreamRequest {
  serviceName: string;
  wsUrl: string;
  /** The primary fetch's operation, as printed by the query planner. */
  operation: string;
  operationName?: string;
  variables: Record<string, unknown>;
  /** Subscribers with different identity keys never share an upstream. */
  identityKey: string;
  /** connection_init payload for the subgraph; called on connect. */
  connectionParams: () => Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;
}

/** Timing of upstream sockets. */
export interface UpstreamTimings {
  /** Milliseconds between graphql-ws pings to a subgraph (after each pong). */
  keepAlive: number;
  /** Milliseconds a subgraph has to finish the handshake, acknowledge connection_init and answer a ping. */
  timeout: number;
}

type Logger = { warn(msg: string): void };

/**
 * Upstream subscriptions, shared: one graphql-ws subscription to the owning subgraph per distinct
 * (subgraph, primary operation, upstream variables, identity key), fanned out to all its
 * listeners and closed when the last one leaves.
 */
export class UpstreamPool {
  private readonly upstreams = new Map<string, Upstream>();

  private readonly socketImpl: typeof WebSocket;

  constructor(
    private readonly timings: UpstreamTimings,
    private readonly logger?: Logger,
  ) {
    this.socketImpl = boundedWebSocket(timings.timeout);
  }

  /** Number of open upstream subscriptions. */
  get size(): number {
    return this.upstreams.size;
  }

  /**
   * Attaches `listener` to the upstream for `req`, opening it if needed. Returns the function that
   * detaches it (idempotent); the upstream closes when its last listener detaches.
   */
  join(req: UpstreamRequest, listener: UpstreamListener): () => void {
    const key = [
      req.serviceName,
      req.operationName ?? '',
      req.operation,
      stableStringify(req.variables),
      req.identityKey,
    ].join('\0');
    let upstream = this.upstreams.get(key);
    if (!upstream) {
      upstream = new Upstream(req, this.timings, this.socketImpl, () => this.forget(key, upstream!), this.logger);
      this.upstreams.set(key, upstream);
    }
    const u = upstream;
    u.listeners.add(listener);
    return () => {
      if (u.listeners.delete(listener) && u.listeners.size === 0) {
        this.forget(key, u);
        u.close();
      }
    };
  }

  /** Closes every upstream; each listener gets `onEnd(errors)` first. */
  closeAll(errors?: GraphQLError[]): void {
    const all = [...this.upstreams.values()];
    this.upstreams.clear();
    for (const u of all) u.end(errors);
  }

  private forget(key: string, upstream: Upstream): void {
    if (this.upstreams.get(key) === upstream) this.upstreams.delete(key);
  }
}

/**
 * graphql-ws constructs upstream sockets itself; this subclass bounds the HTTP upgrade, which a
 * frozen subgraph would otherwise leave pending forever.
 */
function boundedWebSocket(handshakeTimeout: number): typeof WebSocket {
  return class BoundedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { handshakeTimeout });
    }
  } as unknown as typeof WebSocket;
}

class Upstream {
  readonly listeners = new Set<UpstreamListener>();
  private readonly client: Client;
  private readonly unsubscribe: () => void;
  private socket?: WebSocket;
  private pongTimer?: NodeJS.Timeout;
  private timedOut = false;
  private closed = false;

  constructor(
    private readonly req: UpstreamRequest,
    timings: UpstreamTimings,
    socketImpl: typeof WebSocket,
    private readonly onGone: () => void,
    private readonly logger?: Logger,
  ) {
    const { timeout } = timings;
    this.client = createClient({
      url: req.wsUrl,
      webSocketImpl: socketImpl,
      // A dead subgraph must surface as an error to the clients, not as a silent retry loop.
      retryAttempts: 0,
      lazyCloseTimeout: 0,
      keepAlive: timings.keepAlive,
      connectionAckWaitTimeout: timeout,
      connectionParams: req.connectionParams,
      on: {
        opened: (socket) => {
          this.socket = socket as WebSocket;
        },
        ping: (received) => {
          if (!received) this.armPongTimer(timeout);
        },
        pong: (received) => {
          if (received) this.clearPongTimer();
        },
        closed: () => this.clearPongTimer(),
      },
    });
    this.unsubscribe = this.client.subscribe(
      { query: req.operation, operationName: req.operationName, variables: req.variables },
      {
        next: (payload) => {
          if (this.closed) return;
          const event: UpstreamEvent = { payload: payload as FormattedExecutionResult, results: new Map() };
          for (const l of this.listeners) l.onEvent(event);
        },
        error: (error) => {
          if (this.closed) return;
          const errors = upstreamErrors({ serviceName: req.serviceName, error, timedOut: this.timedOut });
          this.logger?.warn(
            `[subscriptions] upstream ${req.serviceName} failed: ${errors.map((e) => e.message).join('; ')}`,
          );
          this.onGone();
          this.end(errors);
        },
        complete: () => {
          if (this.closed) return;
          this.onGone();
          this.end();
        },
      },
    );
  }

  /** Tells every listener the upstream ended, then closes it. */
  end(errors?: GraphQLError[]): void {
    const listeners = [...this.listeners];
    this.listeners.clear();
    this.close();
    for (const l of listeners) l.onEnd(errors);
  }

  /** Completes the subgraph subscription and closes its socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearPongTimer();
    try {
      this.unsubscribe();
    } catch {
      // the socket may already be gone; dispose below still releases it
    }
    void this.client.dispose();
  }

  private armPongTimer(timeout: number): void {
    this.clearPongTimer();
    this.pongTimer = setTimeout(() => {
      // terminate() (not close()) so a subgraph that reads nothing cannot hold the socket for
      // ws's 30 s closing handshake; the client then reports the close to the sink at once.
      this.timedOut = true;
      this.socket?.terminate();
    }, timeout);
    this.pongTimer.unref();
  }

  private clearPongTimer(): void {
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }
}
