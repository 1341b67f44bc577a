import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { flag, loadSubgraphConfig, optionalUrl, parseEnv, type SubgraphConfig } from '@supergraph/kit';
import { geocoderConfigFromEnv, type GeocoderConfig } from './geocoding';
import type { PhotoStorageConfig } from './media';

/** The cases subgraph's settings: the shared ones plus public URLs, geocoding and photo storage. */
export interface CasesConfig extends SubgraphConfig {
  /** Origin of the public site (the router): photo, poster and case-page URLs are built on it. */
  publicOrigin: string;
  /** Provider chain of the geocoder (offline gazetteer by default). */
  geocoder: GeocoderConfig;
  /** Where child photos are stored: a directory (embedded) or an S3-compatible bucket. */
  photoStorage: PhotoStorageConfig;
  /** Phone number printed on posters downloaded by anyone but the case's reporter or an ADMIN. */
  posterPublicContact: string;
}

/** Default port of the cases subgraph. */
export const CASES_PORT = 4002;

/**
 * Reads the cases subgraph's settings. Photos go to S3 when PHOTO_S3_BUCKET is set (then the
 * endpoint, region and keys are required), else to `<DATA_DIR>/cases/photos` (a fresh temporary
 * directory when DATA_DIR is ':memory:').
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CasesConfig {
  const base = loadSubgraphConfig('cases', CASES_PORT, env);
  const own = parseEnv(
    z.object({
      PUBLIC_ORIGIN: z.string().url().default('http://localhost:4000'),
      POSTER_PUBLIC_CONTACT: z.string().min(3).max(60).default('112 (emergency services)'),
      PHOTO_S3_BUCKET: z
        .string()
        .optional()
        .transform((v) => v || undefined),
      PHOTO_S3_ENDPOINT: optionalUrl(),
      PHOTO_S3_REGION: z.string().default('us-east-1'),
      PHOTO_S3_ACCESS_KEY_ID: z.string().optional(),
      PHOTO_S3_SECRET_ACCESS_KEY: z.string().optional(),
      PHOTO_S3_SESSION_TOKEN: z
        .string()
        .optional()
        .transform((v) => v || undefined),
      PHOTO_S3_FORCE_PATH_STYLE: flag(true),
      PHOTO_S3_KEY_PREFIX: z
        .string()
        .optional()
        .transform((v) => v || undefined),
    }),
    env,
    'cases configuration',
  );
  return {
    ...base,
    publicOrigin: own.PUBLIC_ORIGIN.replace(/\/+$/, ''),
    posterPublicContact: own.POSTER_PUBLIC_CONTACT,
    geocoder: wrap('geocoding', () => geocoderConfigFromEnv(env)),
    photoStorage: photoStorage(own, base.dataDir),
  };
}

function photoStorage(
  own: {
    PHOTO_S3_BUCKET?: string;
    PHOTO_S3_ENDPOINT?: string;
    PHOTO_S3_REGION: string;
    PHOTO_S3_ACCESS_KEY_ID?: string;
    PHOTO_S3_SECRET_ACCESS_KEY?: string;
    PHOTO_S3_SESSION_TOKEN?: string;
    PHOTO_S3_FORCE_PATH_STYLE: boolean;
    PHOTO_S3_KEY_PREFIX?: string;
  },
  dataDir: string,
): PhotoStorageConfig {
  if (!own.PHOTO_S3_BUCKET) {
    // ':memory:' keeps no data between runs, so photos live in a directory of their own that nobody reuses.
    const directory =
      dataDir === ':memory:' ? mkdtempSync(join(tmpdir(), 'cases-photos-')) : resolve(dataDir, 'cases', 'photos');
    return { kind: 'disk', directory };
  }
  const missing = (['PHOTO_S3_ENDPOINT', 'PHOTO_S3_ACCESS_KEY_ID', 'PHOTO_S3_SECRET_ACCESS_KEY'] as const).filter(
    (k) => !own[k],
  );
  if (missing.length)
    throw new Error(
      `Invalid cases configuration:\n${missing.map((k) => `  ${k}: is required when PHOTO_S3_BUCKET is set`).join('\n')}`,
    );
  return {
    kind: 's3',
    bucket: own.PHOTO_S3_BUCKET,
    endpoint: own.PHOTO_S3_ENDPOINT!,
    region: own.PHOTO_S3_REGION,
    accessKeyId: own.PHOTO_S3_ACCESS_KEY_ID!,
    secretAccessKey: own.PHOTO_S3_SECRET_ACCESS_KEY!,
    sessionToken: own.PHOTO_S3_SESSION_TOKEN,
    forcePathStyle: own.PHOTO_S3_FORCE_PATH_STYLE,
    keyPrefix: own.PHOTO_S3_KEY_PREFIX,
  };
}

function wrap<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new Error(`Invalid cases configuration (${what}): ${(err as Error).message}`);
  }
}
