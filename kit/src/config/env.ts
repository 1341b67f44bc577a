import { z } from 'zod';

/**
 * Parses `source` (normally `process.env`) with a zod schema and fails fast: on any problem it throws
 * one error listing every offending variable, so a misconfigured service never half-starts.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
  what = 'configuration',
): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
  throw new Error(`Invalid ${what}:\n${problems}`);
}

/** A TCP port from the environment, with a default. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A boolean flag from the environment ('true'/'1'/'yes' or 'false'/'0'/'no'). */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1' || v === 'yes'));

/** An optional URL: empty strings count as absent. */
export const optionalUrl = () =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.string().url().optional());

/** `development` (default: embedded parts, Sandbox, introspection) or `production` (secrets required). */
export const nodeEnv = () => z.enum(['development', 'production', 'test']).default('development');

/**
 * `LOG_FORMAT`: `json` or `pretty` forces the log format; absent → pretty on a terminal outside
 * production, JSON otherwise (see `logFormat`). Configurations refuse `pretty` in production.
 */
export const logFormatEnv = () => z.enum(['json', 'pretty']).optional();

/** The problem with `LOG_FORMAT` under `NODE_ENV`, if any: production logs are always JSON. */
export function logFormatProblem(nodeEnv: string, format: string | undefined): string | undefined {
  return nodeEnv === 'production' && format === 'pretty' ? 'must be json (or unset) in production' : undefined;
}

/**
 * The settings every subgraph shares. A production start without `ROUTER_SIGNING_SECRET` stops with
 * a clear message; in development a fixed, documented secret keeps the one-command start working.
 */
export const sharedEnv = z
  .object({
    NODE_ENV: nodeEnv(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: logFormatEnv(),
    DATA_DIR: z.string().default('.data'),
    DATABASE_URL: optionalUrl(),
    REDIS_URL: optionalUrl(),
    REDIS_PREFIX: z.string().default('supergraph'),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(),
    ROUTER_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  })
  .transform((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.ROUTER_SIGNING_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['ROUTER_SIGNING_SECRET'], message: 'is required in production' });
    }
    const logFormat = logFormatProblem(env.NODE_ENV, env.LOG_FORMAT);
    if (logFormat) ctx.addIssue({ code: 'custom', path: ['LOG_FORMAT'], message: logFormat });
    return { ...env, ROUTER_SIGNING_SECRET: env.ROUTER_SIGNING_SECRET ?? DEVELOPMENT_SIGNING_SECRET };
  });

/** Used only outside production; documented in the README so nobody mistakes it for a secret. */
export const DEVELOPMENT_SIGNING_SECRET = 'development-only-router-signing-secret-do-not-use';

export type SharedEnv = z.infer<typeof sharedEnv>;
