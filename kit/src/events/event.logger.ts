import pino from 'pino';

/**
 * The logging surface the event backbone needs: pino-compatible (`(fields, message)`), so a
 * service passes its own pino logger (or a child of it) unchanged.
 */
export interface EventLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

let fallback: EventLogger | undefined;

/** The logger used when none is passed: pino on stdout at `LOG_LEVEL` (default `info`). */
export function defaultEventLogger(): EventLogger {
  fallback ??= pino({ name: 'events', level: process.env.LOG_LEVEL ?? 'info' });
  return fallback;
}

/** Message of an unknown thrown value, for logs and dead letters. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return typeof err === 'string' ? err : JSON.stringify(err);
}
