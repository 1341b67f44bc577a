import type { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { SubscriptionEngine } from './subscription.engine';

/** What {@link attachSubscriptionEngine} returns. */
export interface SubscriptionServerHandle {
  /**
   * Ends every subscription (engine `close()`), closes every client socket with 1001 "Going away"
   * and closes the WebSocketServer (not the HTTP server it is attached to). Idempotent.
   */
  dispose(): Promise<void>;
}

/**
 * Serves the engine on an existing `ws` WebSocketServer (graphql-transport-ws protocol):
 * subscriptions through the engine, queries and mutations through the gateway's executor.
 * The server pings every client each `engine.keepAlive` ms and drops one that misses a pong.
 */
export function attachSubscriptionEngine<TIdentity>(
  engine: SubscriptionEngine<TIdentity>,
  wss: WebSocketServer,
): SubscriptionServerHandle {
  const server = useServer(engine.serverOptions(), wss, engine.keepAlive);
  let disposing: Promise<void> | undefined;
  return {
    dispose: () =>
      (disposing ??= (async () => {
        await engine.close();
        await server.dispose();
      })()),
  };
}
