import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/**
 * A new id for one running server, answered by its `/health` and `/ready` (`instance`): a starter
 * that was told the id knows that the process answering on a port is the one it started.
 */
export function newInstanceId(): string {
  return randomUUID();
}

/**
 * Starts listening and resolves with the port actually bound: port 0 asks the OS for a free one
 * at bind time, so a caller never picks a port first and races another process for it.
 */
export async function listen(
  app: Express | ((req: IncomingMessage, res: ServerResponse) => void),
  port: number,
  host: string,
): Promise<{ server: Server; port: number }> {
  const { createServer } = await import('node:http');
  const server = createServer(app);
  server.keepAliveTimeout = 65_000; // longer than common load-balancer idle timeouts
  server.listen(port, host);
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * Stops accepting connections and waits for in-flight requests, then resolves once every
 * connection is closed; anything still open after `graceMs` is destroyed so shutdown always ends.
 *
 * Keep-alive connections need care: a client (the router) keeps sending new requests on a
 * connection that was busy when closing began, and would do so until the grace period ends, when
 * those requests would be cut off mid-flight. So while closing, every response says
 * `Connection: close`, and connections are closed as soon as they are idle.
 */
export async function closeServer(server: Server, graceMs = 10_000): Promise<void> {
  if (!server.listening) return;
  const lastResponse = (_req: IncomingMessage, res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  server.prependListener('request', lastResponse);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  try {
    await closed;
  } finally {
    clearInterval(idleSweep);
    clearTimeout(timer);
    server.off('request', lastResponse);
  }
}
