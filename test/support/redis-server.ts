import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** Attempts at a first start: a port offered by the OS may be taken again before redis-server binds it. */
const FIRST_START_ATTEMPTS = 5;

/**
 * A private `redis-server` on a loopback port of its own, for fault tests that stop and start
 * Redis. It keeps nothing on disk. The machine's shared Redis is never touched.
 *
 * redis-server cannot bind port 0 and report the port, so the first start takes a port the OS
 * offers and, should another process take it first (redis-server exits), tries another one. A
 * start only counts when the server answering is this process (its `process_id`), never another
 * Redis on the same port. Later starts reuse the port: clients were given this URL.
 */
export class PrivateRedis {
  private child?: ChildProcess;
  private boundPort?: number;

  /** The port, once started. */
  get port(): number {
    if (this.boundPort === undefined) throw new Error('PrivateRedis: start() first');
    return this.boundPort;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, on the same port) and resolves once this process answers PING. */
  async start(): Promise<void> {
    if (this.boundPort !== undefined) return this.startOn(this.boundPort);
    for (let attempt = 1; ; attempt++) {
      const port = await offeredPort();
      try {
        await this.startOn(port);
        this.boundPort = port;
        return;
      } catch (err) {
        if (attempt >= FIRST_START_ATTEMPTS) throw err;
      }
    }
  }

  private async startOn(port: number): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    const end = Date.now() + 10_000;
    while (Date.now() < end && !exited()) {
      const probe = new Redis(`redis://127.0.0.1:${port}`, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        const pid = /process_id:(\d+)/.exec(await probe.info('server'))?.[1];
        if (Number(pid) === child.pid) return;
        if (pid) throw new Error(`port ${port} is served by another redis-server (pid ${pid})`);
      } catch (err) {
        if ((err as Error).message.includes('another redis-server')) {
          child.kill('SIGKILL');
          throw err;
        }
        // not up yet
      } finally {
        probe.disconnect();
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!exited()) child.kill('SIGKILL');
    throw new Error(
      `redis-server on port ${port} did not start${exited() ? ` (exited ${child.exitCode ?? child.signalCode})` : ''}`,
    );
  }

  /** Kills the server (as a crash would) and waits for the process to end. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

/** A loopback port the OS offers now (redis-server then binds it itself). */
async function offeredPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
