import type { ExecutionResult, GraphQLError } from 'graphql';
import type WebSocket from 'ws';
import type { EventResolver } from './operation.executor';
import { PushQueue, type QueueBudget } from './push.queue';
import type { UpstreamEvent, UpstreamListener } from './upstream.pool';

/** One connected, authenticated graphql-ws client of the router. */
export interface ClientState<TIdentity> {
  /** The client's socket, closed by the engine on queue overflow. */
  readonly socket?: WebSocket;
  readonly identity: TIdentity | null;
  /** Dedup key of the identity: only equal keys share upstreams and per-event results. */
  readonly identityKey: string;
  /** The context every execution for this client sees (data sources read the identity from it). */
  readonly context: Record<string, unknown>;
  /** The bound on undelivered events, over all of this client's subscriptions. */
  readonly budget: QueueBudget;
  readonly subscriptions: Set<ClientSubscription>;
  /** Set once the engine ended the client itself (credentials, queue overflow): its socket is closing. */
  ended?: boolean;
  /** Cancels the timer that ends the client when its credentials expire. */
  cancelExpiry?: () => void;
}

/**
 * One client subscription: listens to a shared upstream, resolves each event for its own
 * operation (once per distinct execution key, shared through the event) and queues the results
 * in upstream order for graphql-ws to send.
 */
export class ClientSubscription implements UpstreamListener {
  /** What graphql-ws iterates; `return()` detaches this subscription from its upstream. */
  readonly queue: PushQueue<ExecutionResult>;
  private leave?: () => void;

  constructor(
    private readonly resolver: EventResolver,
    private readonly executionKey: string,
    private readonly context: Record<string, unknown>,
    budget: QueueBudget,
    onClose: (sub: ClientSubscription) => void,
  ) {
    this.queue = new PushQueue<ExecutionResult>(budget, () => {
      this.leave?.();
      onClose(this);
    });
  }

  /** Keeps the function that detaches from the upstream; runs it at once if already closed. */
  attach(leave: () => void): void {
    this.leave = leave;
    if (this.queue.isEnded) leave();
  }

  /** Queues the event's result for this operation, resolving it only if no equal operation did. */
  onEvent(event: UpstreamEvent): void {
    if (this.queue.isEnded) return;
    let result = event.results.get(this.executionKey);
    if (!result) {
      result = this.resolver.resolve(event.payload, this.context);
      event.results.set(this.executionKey, result);
    }
    this.queue.push(result);
  }

  /** The upstream ended: queued events are still delivered, then `errors` (if any), then complete. */
  onEnd(errors?: GraphQLError[]): void {
    if (errors) this.queue.push(Promise.resolve({ errors }), true);
    this.queue.end();
  }

  /** Ends the subscription at once, dropping undelivered events (queue overflow). */
  abort(): void {
    void this.queue.return();
  }
}
