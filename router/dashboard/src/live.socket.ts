/**
 * The live connection: one graphql-ws client on the router's `/graphql`, reconnecting on its own
 * with capped, jittered backoff. `body[data-connection]` and `#connection` show its state.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import { print } from 'graphql/language/printer';

type State = 'connecting' | 'live' | 'reconnecting' | 'offline';

function setState(state: State, text: string): void {
  const el = document.getElementById('connection')!;
  el.className = `state ${state}`;
  el.textContent = text;
  document.body.dataset.connection = state;
}

/** Opens the socket; `token` is read at every (re)connection. */
export function openLiveSocket(token: () => string | null): Client {
  return createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: false,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // Backoff with jitter, capped at 10 s, so a restarted router is not stormed by every open page.
    retryWait: (retries) =>
      new Promise((r) => setTimeout(r, Math.min(10_000, 500 * 2 ** retries) * (0.5 + Math.random() / 2))),
    connectionParams: () => {
      const t = token();
      return t ? { authorization: `Bearer ${t}` } : {};
    },
    on: {
      connecting: (isRetry) =>
        setState(isRetry ? 'reconnecting' : 'connecting', isRetry ? 'Reconnecting…' : 'Connecting…'),
      connected: () => setState('live', 'Live'),
      closed: () => setState('reconnecting', 'Connection lost — reconnecting…'),
    },
  });
}

/** Subscribes to `doc`; `onData` gets each event's data, `onError` a message for errors or the end. */
export function live<T, V>(
  client: Client,
  doc: TypedDocumentNode<T, V>,
  onData: (data: T) => void,
  onError: (message: string) => void,
): void {
  client.subscribe<T>(
    { query: print(doc) },
    {
      next: ({ data, errors }) => {
        if (errors?.length) onError(errors[0]!.message);
        if (data) onData(data);
      },
      error: (err) => onError(String((err as Error)?.message ?? 'connection closed')),
      complete: () => undefined,
    },
  );
}
