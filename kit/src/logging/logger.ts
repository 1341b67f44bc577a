import { AsyncLocalStorage } from 'node:async_hooks';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';

/** What travels with one request or one event through every log line. */
export interface LogScope {
  correlationId: string;
  userId?: string;
  /** What the work serves: a GraphQL request or a consumed event (SQL statements are counted by it). */
  origin?: 'request' | 'event';
}

const scope = new AsyncLocalStorage<LogScope>();

/** Runs `fn` with `s` as the current log scope (correlation id, user) for everything it awaits. */
export function withLogScope<T>(s: LogScope, fn: () => T): T {
  return scope.run(s, fn);
}

/** Runs `fn` outside any log scope (background work started from inside a request). */
export function outsideLogScope<T>(fn: () => T): T {
  return scope.exit(fn);
}

/** The current log scope, if any. */
export function currentLogScope(): LogScope | undefined {
  return scope.getStore();
}

/**
 * A pino JSON logger whose lines carry `service` and, inside a request or event, `correlationId`
 * and `userId`, plus `traceId` when tracing is on and the line belongs to a trace. The level comes
 * from LOG_LEVEL; `destination` defaults to standard output.
 */
export function createLogger(
  service: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const s = scope.getStore();
      const span = trace.getSpanContext(context.active());
      return {
        ...(s ? { correlationId: s.correlationId, ...(s.userId ? { userId: s.userId } : {}) } : {}),
        ...(span && isSpanContextValid(span) ? { traceId: span.traceId } : {}),
      };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
