import type { Logger } from '../logging/logger';

/**
 * For `index.ts` files: runs `start()`, then stops gracefully on SIGTERM/SIGINT (a second signal
 * exits at once). A failed start prints the reason and exits with status 1.
 */
export function runUntilSignalled(name: string, start: () => Promise<{ stop(): Promise<void> }>, log?: Logger): void {
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
    },
    (err: unknown) => {
      console.error(`${name} failed to start:`, err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
