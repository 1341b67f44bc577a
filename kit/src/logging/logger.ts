import { AsyncLocalStorage } from 'node:async_hooks';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

/**
 * What travels with one consumed event through every log line (requests keep no log scope: their
 * `ctx.log` carries the correlation id, and their EntityManager names their SQL's origin).
 */
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

/** How log lines are written: one JSON object per line (machines) or one readable line (people). */
export type LogFormat = 'json' | 'pretty';

/**
 * The log format for this process: `LOG_FORMAT` when set; otherwise pretty when standard output
 * is a terminal outside production, JSON in every other case. Production is always JSON (its
 * configuration refuses `LOG_FORMAT=pretty`, see `logFormatEnv`).
 */
export function logFormat(env: NodeJS.ProcessEnv = process.env, isTTY = process.stdout.isTTY === true): LogFormat {
  if (env.NODE_ENV === 'production') return 'json';
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return isTTY ? 'pretty' : 'json';
}

/**
 * A pino logger whose lines carry `service` and, inside a log scope (a consumed event),
 * `correlationId` and `userId`, plus `traceId` when tracing is on and the line belongs to a trace.
 * The level comes from LOG_LEVEL; `destination` defaults to standard output. `format` (default:
 * {@link logFormat} for standard output, JSON for a given destination) writes JSON lines or, for a
 * terminal, one line per entry: time, level, `[service]`, message and the other fields.
 */
export function createLogger(
  service: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
  format: LogFormat = destination ? 'json' : logFormat(),
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
  if (format === 'pretty') return pino(options, prettyStream(destination));
  return destination ? pino(options, destination) : pino(options);
}

/** pino-pretty in this thread (no transport worker per logger): one line per entry, coloured on a terminal. */
function prettyStream(destination?: pino.DestinationStream): pino.DestinationStream {
  const out = destination ?? pino.destination({ dest: 1, sync: true });
  const prettify = prettyFactory({
    colorize: !destination && process.stdout.isTTY === true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    messageFormat: '[{service}] {msg}',
  });
  return { write: (line: string) => void out.write(prettify(line)) };
}

export type { Logger };
