import type { NextFunction, Request, Response } from 'express';
import { CORRELATION_HEADER } from '@supergraph/kit';
import { correlationIdOf } from './graphql.route';

/**
 * Express middleware of the forwarded paths (`/media`, `/cases`): the client's correlation id when
 * it sends a sane one, else a new one, kept in `res.locals.correlationId` (where the error handler's
 * log line finds it) and echoed back.
 */
export function correlation(req: Request, res: Response, next: NextFunction): void {
  const correlationId = correlationIdOf(req.headers[CORRELATION_HEADER]);
  res.locals.correlationId = correlationId;
  res.setHeader(CORRELATION_HEADER, correlationId);
  next();
}
