import type { Logger } from '../logging/logger';

/** What a started service tells the process that spawned it (over the IPC channel, when there is one). */
export interface ListeningMessage {
  type: 'listening';
  name: string;
  /** The port actually bound (the service may have been given port 0). */
  port: number;
  url: string;
  /** The server's instance id, as answered by its `/health` and `/ready`. */
  instance: string;
}

/** A started service: at least stoppable; a server also says where it listens. */
export interface StartedService {
  stop(): Promise<void>;
  port?: number;
  url?: string;
  instance?: string;
}

/**
 * For `index.ts` files: runs `start()`, then stops gracefully on SIGTERM/SIGINT (a second signal
 * exits at once). A failed start prints the reason and exits with status 1.
 *
 * When spawned with an IPC channel (scripts/start-production.ts), the service reports its port and
 * instance id there once it listens (a {@link ListeningMessage}), and stops when the parent goes
 * away (the channel closes), so no orphan keeps a port or a database.
 */
export function runUntilSignalled(name: string, start: () => Promise<StartedService>, log?: Logger): void {
  start().then(
    (running) => {
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) process.exit(1);
        stopping = true;
        log?.info({ signal }, `${name} shutting down`);
        running.stop().then(
          () => process.exit(0),
          (err) => {
            console.error(`${name}: error during shutdown`, err);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
      if (process.send && running.port !== undefined && running.url && running.instance) {
        const message: ListeningMessage = {
          type: 'listening',
          name,
          port: running.port,
          url: running.url,
          instance: running.instance,
        };
        process.send(message);
        process.once('disconnect', () => {
          if (!stopping) shutdown('disconnect');
        });
      }
    },
    (err: unknown) => {
      console.error(`${name} failed to start:`, err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
