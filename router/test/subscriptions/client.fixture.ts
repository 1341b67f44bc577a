import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';

/** Polls `check` every 20 ms until it returns true; throws with `what` after `ms`. */
export async function waitFor(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A graphql-ws client running one operation, recording what it receives. */
export interface TestSubscription {
  events: any[];
  error?: unknown;
  completed: boolean;
  /** Close code/reason of the socket, once closed. */
  closed?: { code: number; reason: string };
  client: Client;
  /** Resolves once `n` events arrived. */
  waitEvents(n: number, ms?: number): Promise<void>;
  /** Resolves once the operation completed or failed. */
  waitEnd(ms?: number): Promise<void>;
  /** Unsubscribes and closes the socket. */
  dispose(): Promise<void>;
}

/** Opens a graphql-ws client on `url` and starts `query`. */
export function subscribe(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  connectionParams?: Record<string, unknown>,
  operationName?: string,
): TestSubscription {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams,
    on: {
      closed: (e) => {
        const ev = e as { code: number; reason: string };
        s.closed = { code: ev.code, reason: String(ev.reason) };
      },
    },
  });
  const s: TestSubscription = {
    events: [],
    completed: false,
    client,
    waitEvents: (n, ms) =>
      waitFor(() => s.events.length >= n, `${n} events (got ${JSON.stringify(s.events).slice(0, 300)})`, ms),
    waitEnd: (ms) => waitFor(() => s.completed || s.error !== undefined, 'end of the operation', ms),
    dispose: async () => {
      stop();
      await client.dispose();
    },
  };
  const stop = client.subscribe(
    { query, variables, operationName },
    {
      next: (v) => {
        s.events.push(v);
      },
      error: (e) => {
        s.error = e;
      },
      complete: () => {
        s.completed = true;
      },
    },
  );
  return s;
}

/** A raw graphql-transport-ws socket, acknowledged, for tests that need socket-level control. */
export async function rawClient(
  url: string,
  connectionParams?: Record<string, unknown>,
): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(url, 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'connection_init', payload: connectionParams }));
  await new Promise((resolve) => ws.once('message', resolve));
  return { ws, closed };
}
