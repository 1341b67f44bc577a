import type { ApolloServerPlugin } from '@apollo/server';
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { sendJsonError } from '@supergraph/kit';
import { enforceCost, measureOperation, type OperationLimits } from './operation.limits';
import type { RateLimiter } from './rate.limiter';

/** Apollo plugin refusing operations whose estimated cost (with their variables) is over the limit (HTTP 400). */
export function operationCostPlugin(limits: OperationLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, request }) {
          enforceCost(measureOperation(document, operationName, request.variables ?? {}), limits);
        },
      };
    },
  };
}

/** Per-minute request limits; 0 switches a limit off. */
export interface RateLimits {
  perIpPerMinute: number;
  perUserPerMinute: number;
}

/**
 * Express middleware counting requests per client IP; over the limit: 429, Retry-After, RATE_LIMITED
 * as JSON, or whatever `refuse` answers instead (the case pages answer HTML from the same counter).
 */
export function ipRateLimit(
  limiter: RateLimiter,
  limits: RateLimits,
  refuse?: (res: Response, retryAfterSeconds: number) => void,
) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!limits.perIpPerMinute) return next();
    const decision = await limiter.hit(`ip:${req.ip}`, limits.perIpPerMinute, 60_000);
    if (decision.allowed) return next();
    if (!refuse) return sendRateLimited(res, decision.retryAfterSeconds);
    res.setHeader('retry-after', String(decision.retryAfterSeconds));
    refuse(res.status(429), decision.retryAfterSeconds);
  };
}

/** Answers 429 `RATE_LIMITED` for a client address over its limit, with `Retry-After` and `retryAfterSeconds`. */
export function sendRateLimited(res: ServerResponse, retryAfterSeconds: number): void {
  const message = `Too many requests from your address. Try again in ${retryAfterSeconds} s.`;
  sendJsonError(res, 429, 'RATE_LIMITED', message, { retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });
}
