import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** Starts listening and resolves with the bound port (use port 0 for a free one). */
export async function listen(app: Express | ((req: any, res: any) => void), port: number, host: string): Promise<{ server: Server; port: number }> {
  const { createServer } = await import('node:http');
  const server = createServer(app);
  server.keepAliveTimeout = 65_000; // longer than common load-balancer idle timeouts
  server.listen(port, host);
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * Stops accepting connections and waits for in-flight requests; idle keep-alive sockets are closed
 * at once, and anything still open after `graceMs` is destroyed so shutdown always ends.
 */
export async function closeServer(server: Server, graceMs = 10_000): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
