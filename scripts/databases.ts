import { Client } from 'pg';
import { Redis } from 'ioredis';
import { subgraphDatabaseUrl } from './stack';
import { SUBGRAPHS } from './topology';

/** Drops the per-subgraph databases `<db>_<subgraph>` named by a server URL (tests, benchmarks). */
export async function dropSubgraphDatabases(serverUrl: string): Promise<void> {
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    for (const { name } of SUBGRAPHS) {
      const db = new URL(subgraphDatabaseUrl(serverUrl, name)).pathname.slice(1);
      await client.query(`drop database if exists "${db}" with (force)`);
    }
  } finally {
    await client.end();
  }
}

/** Deletes every Redis key under `<prefix>:`. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
