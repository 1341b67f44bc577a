import type WebSocket from 'ws';
import type { ClientState } from './client.subscription';
import { CLOSE_CODES, unauthorizedReason } from './errors';
import { runAt } from './run-at.timer';

/** Settings of {@link ClientRegistry} (the engine's options of the same names). */
export interface ClientRegistryOptions<TIdentity> {
  maxQueuedEvents: number;
  credentialsEndAt?: (identity: TIdentity) => number | undefined;
  credentialsEndReason?: string;
  logger?: { warn(message: string): void };
}

/** A new client: who it is and what its executions see. */
export interface NewClient<TIdentity> {
  socket?: WebSocket;
  identity: TIdentity | null;
  identityKey: string;
  context: Record<string, unknown>;
}

/**
 * The engine's connected clients, by graphql-ws connection context and by execution context, and
 * the ways the engine itself ends one: queue overflow (4429), credentials that expired or no longer
 * hold (4401). Ending a client ends its subscriptions at once, undelivered events dropped, then
 * closes its socket; graphql-ws then reports the close and {@link remove} cleans up.
 */
export class ClientRegistry<TIdentity> {
  private readonly byConnection = new Map<object, ClientState<TIdentity>>();
  private readonly byContext = new WeakMap<object, ClientState<TIdentity>>();

  constructor(private readonly opts: ClientRegistryOptions<TIdentity>) {}

  /** Registers the client of connection `connection`, its expiry timer armed when its credentials end. */
  add(connection: object, fields: NewClient<TIdentity>): ClientState<TIdentity> {
    const client: ClientState<TIdentity> = {
      ...fields,
      subscriptions: new Set(),
      budget: { queued: 0, max: this.opts.maxQueuedEvents, onOverflow: () => this.overflow(client) },
    };
    this.byConnection.set(connection, client);
    this.byContext.set(fields.context, client);
    const endsAt = fields.identity === null ? undefined : this.opts.credentialsEndAt?.(fields.identity);
    if (endsAt !== undefined)
      client.cancelExpiry = runAt(endsAt, () =>
        this.endForCredentials(client, this.opts.credentialsEndReason ?? 'credentials expired'),
      );
    return client;
  }

  /** The client of a graphql-ws connection context. */
  get(connection: object): ClientState<TIdentity> | undefined {
    return this.byConnection.get(connection);
  }

  /** The client whose execution context is `context`. */
  ofContext(context: object): ClientState<TIdentity> | undefined {
    return this.byContext.get(context);
  }

  /** Forgets a client whose socket closed and ends its subscriptions. */
  remove(connection: object): void {
    const client = this.byConnection.get(connection);
    if (!client) return;
    this.byConnection.delete(connection);
    client.cancelExpiry?.();
    for (const sub of [...client.subscriptions]) sub.abort();
  }

  /** The connected clients. */
  all(): IterableIterator<ClientState<TIdentity>> {
    return this.byConnection.values();
  }

  get size(): number {
    return this.byConnection.size;
  }

  /** Ends, with 4401 and `reason`, every authenticated client `ended` picks; returns how many. */
  endWhere(ended: (identity: TIdentity) => boolean, reason: string): number {
    let count = 0;
    for (const client of [...this.byConnection.values()]) {
      if (client.identity === null || client.ended) continue;
      let end: boolean;
      try {
        end = ended(client.identity);
      } catch (err) {
        this.opts.logger?.warn(
          `[subscriptions] checking a client's credentials failed: ${(err as Error)?.message ?? err}`,
        );
        continue;
      }
      if (!end) continue;
      this.endForCredentials(client, reason);
      count++;
    }
    return count;
  }

  /** Credentials that no longer hold: nothing more is delivered, the socket closes with 4401. */
  private endForCredentials(client: ClientState<TIdentity>, reason: string): void {
    if (client.ended) return;
    client.ended = true;
    client.cancelExpiry?.();
    for (const sub of [...client.subscriptions]) sub.abort();
    client.socket?.close(CLOSE_CODES.unauthorized, unauthorizedReason(reason, 'UNAUTHENTICATED'));
  }

  /** A slow reader: drop its backlog and close its socket, so memory stays bounded. */
  private overflow(client: ClientState<TIdentity>): void {
    if (client.ended) return;
    client.ended = true;
    this.opts.logger?.warn(`[subscriptions] closing a client with more than ${client.budget.max} queued events`);
    for (const sub of [...client.subscriptions]) sub.abort();
    client.socket?.close(CLOSE_CODES.tooManyQueuedEvents, 'Too many queued events');
  }
}
