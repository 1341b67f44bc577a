import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logging/logger';

/** Writes a GraphQL-shaped error answer: `{ errors: [{ message, extensions: { code } }] }`. */
export function sendJsonError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * Express error middleware of the router and every subgraph, one set of codes for both: a body
 * too large answers 413 `PAYLOAD_TOO_LARGE`, other client errors 4xx `BAD_REQUEST`, anything else a
 * logged 500 `INTERNAL_SERVER_ERROR` without details. Never an HTML page.
 */
export function jsonErrors(log: Logger) {
  return (err: { status?: number; message?: string }, _req: Request, res: Response, _next: NextFunction): void => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err }, 'request failed');
    if (status === 413) return sendJsonError(res, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
    if (status < 500) return sendJsonError(res, status, 'BAD_REQUEST', `Bad request: ${err.message}`);
    sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
  };
}
