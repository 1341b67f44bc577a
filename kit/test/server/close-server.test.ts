import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { closeServer } from '../../src/server/http';

describe('closeServer', () => {
  it('lets keep-alive clients finish and stop, without cutting any request off', async () => {
    let inFlight = 0;
    let answered = 0;
    const server: Server = createServer((_req, res) => {
      inFlight++;
      // The handler outlives a few client round trips, like a resolver doing real work.
      setTimeout(() => {
        inFlight--;
        answered++;
        res.end('ok');
      }, 20);
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const forceClose = vi.spyOn(server, 'closeAllConnections');

    let received = 0;
    let stopping: Promise<void> | undefined;
    // Four clients on keep-alive connections (Node's fetch pools them), sending until refused.
    const client = async () => {
      for (;;) {
        const res = await fetch(url).catch(() => null);
        if (!res) return;
        expect(await res.text()).toBe('ok');
        received++;
        if (received === 20) stopping ??= closeServer(server, 60_000);
      }
    };
    await Promise.all([client(), client(), client(), client()]);
    await stopping;

    expect(inFlight).toBe(0); // no handler left running once the server is closed
    expect(forceClose).not.toHaveBeenCalled(); // ended by the clients, not by the grace period
    expect(received).toBe(answered); // every request a handler answered reached its client
  });
});
