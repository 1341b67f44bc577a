import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A running embedded Postgres (PGlite) reachable over the wire protocol on 127.0.0.1. */
export interface EmbeddedPostgres {
  /** A `postgresql://` URL that `pg` and MikroORM connect to unchanged. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite (Postgres compiled to WASM) and serves it on a free loopback port. `dataDir`
 * undefined keeps the database in memory (tests); otherwise data persists there across starts.
 * `maxConnections` must be at least the client pool's max: pglite-socket defaults to 1.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir?: string;
  maxConnections: number;
}): Promise<EmbeddedPostgres> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: opts.dataDir });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: opts.maxConnections });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
