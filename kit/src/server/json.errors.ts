import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorCode } from '../errors/errors';
import type { Logger } from '../logging/logger';

/**
 * Writes a GraphQL-shaped error answer, `{ errors: [{ message, extensions: { code, ...extensions } }] }`,
 * as JSON with `headers` added (e.g. `retry-after`, `allow`). The one way the router and every
 * subgraph answer a request they refuse outside GraphQL execution.
 */
export function sendJsonError(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] });
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Express middleware answering every request that reached it 404 `NOT_FOUND`: mount it after every route. */
export function notFound(): RequestHandler {
  return (req, res) => sendJsonError(res, 404, 'NOT_FOUND', `Nothing is served at ${req.method} ${req.path}.`);
}

/**
 * Express handler for a known path asked with a method it does not serve: 405 with `Allow`, code
 * `BAD_REQUEST` (the code Apollo Server gives the same refusal on `/graphql`).
 */
export function methodNotAllowed(allow: readonly string[]): RequestHandler {
  return (req, res) => {
    req.resume();
    sendJsonError(
      res,
      405,
      'BAD_REQUEST',
      `${req.path} answers ${allow.join(' and ')} only.`,
      {},
      {
        allow: allow.join(', '),
      },
    );
  };
}

/**
 * Express error middleware of the router and every subgraph, one set of codes for both: a body
 * too large answers 413 `PAYLOAD_TOO_LARGE`, other client errors 4xx `BAD_REQUEST`, anything else a
 * logged 500 `INTERNAL_SERVER_ERROR` without details. Never an HTML page. The log line carries
 * `res.locals.correlationId` when a middleware set it (the router, which keeps no log scope).
 */
export function jsonErrors(log: Logger): ErrorRequestHandler {
  return (err: { status?: number; message?: string }, _req, res, _next): void => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    const correlationId = res.locals?.correlationId as string | undefined;
    if (status === 500) log.error(correlationId ? { err, correlationId } : { err }, 'request failed');
    if (res.headersSent) return void res.destroy();
    if (status === 413) return sendJsonError(res, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
    if (status < 500) return sendJsonError(res, status, 'BAD_REQUEST', `Bad request: ${err.message}`);
    sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
  };
}

/** The answers of last resort, mounted after every route: unknown paths ({@link notFound}), then {@link jsonErrors}. */
export function jsonFallbacks(log: Logger): [RequestHandler, ErrorRequestHandler] {
  return [notFound(), jsonErrors(log)];
}
