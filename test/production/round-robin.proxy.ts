import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP load balancer on loopback, the way a Kubernetes Service (kube-proxy) spreads connections:
 * each new connection goes to the next backend in turn; a backend that refuses the connection is
 * skipped for that connection (the next one is tried), as an endpoint that left the Service would
 * be. HTTP keep-alive and WebSocket connections stay on the backend they were opened on.
 */
export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  port: number;
  /** Backend ports, in turn order. */
  backends: number[];
  /** Connections each backend port accepted, for checking that the work was spread. */
  accepted: Map<number, number>;
  /** Replaces backend `from` by `to` (a restarted replica on its new port). */
  replace(from: number, to: number): void;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port (port 0) in front of `backends`. */
export async function startRoundRobinProxy(backends: number[]): Promise<RoundRobinProxy> {
  const sockets = new Set<Socket>();
  let next = 0;
  const accepted = new Map<number, number>();
  const proxy: Partial<RoundRobinProxy> & { backends: number[]; accepted: Map<number, number> } = {
    backends: [...backends],
    accepted,
  };

  const open = (client: Socket, attempt: number) => {
    const list = proxy.backends;
    if (attempt >= list.length || client.destroyed) return void client.destroy();
    const port = list[next++ % list.length]!;
    const upstream = connect({ host: '127.0.0.1', port });
    sockets.add(upstream);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      accepted.set(port, (accepted.get(port) ?? 0) + 1);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.on('error', () => {
      // Refused before anything was sent: this backend is away, the next one gets the connection.
      if (!connected) return open(client, attempt + 1);
      client.destroy();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      if (connected) client.destroy();
    });
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    open(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(proxy, {
    origin: `http://127.0.0.1:${port}`,
    port,
    replace(from: number, to: number) {
      proxy.backends = proxy.backends.map((p) => (p === from ? to : p));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }) as RoundRobinProxy;
}
