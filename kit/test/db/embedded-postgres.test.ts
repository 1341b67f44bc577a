import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareEmbeddedPostgres, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres';

const root = mkdtempSync(join(tmpdir(), 'embedded-pg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function query<T>(pg: EmbeddedPostgres, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: pg.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const tables = (pg: EmbeddedPostgres) =>
  query<{ table_name: string }>(pg, "select table_name from information_schema.tables where table_schema = 'public'");

describe('embedded Postgres', () => {
  it('starts a new data directory from the template and keeps its data across starts', async () => {
    const template = await prepareEmbeddedPostgres();
    expect(existsSync(join(template.dir, 'PG_VERSION'))).toBe(true);
    const dataDir = join(root, 'one', 'pg');
    const first = await startEmbeddedPostgres({ dataDir, maxConnections: 2 });
    await query(first, 'create table kept (n int); insert into kept values (1), (2)');
    await first.stop();
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

    const again = await startEmbeddedPostgres({ dataDir, maxConnections: 2 });
    expect(await query(again, 'select count(*)::int as n from kept')).toEqual([{ n: 2 }]);
    await again.stop();

    const other = await startEmbeddedPostgres({ dataDir: join(root, 'two', 'pg'), maxConnections: 2 });
    expect(await tables(other)).toEqual([]);
    await other.stop();
  });

  it('gives every in-memory database its own empty copy', async () => {
    const [a, b] = await Promise.all([
      startEmbeddedPostgres({ maxConnections: 2 }),
      startEmbeddedPostgres({ maxConnections: 2 }),
    ]);
    try {
      await query(a, 'create table only_in_a (n int)');
      expect(await tables(a)).toEqual([{ table_name: 'only_in_a' }]);
      expect(await tables(b)).toEqual([]);
      // Serves as many clients at once as it was started for.
      const clients = [new Client({ connectionString: a.url }), new Client({ connectionString: a.url })];
      await Promise.all(clients.map((c) => c.connect()));
      const counts = await Promise.all(clients.map((c) => c.query('select count(*)::int as n from only_in_a')));
      expect(counts.map((r) => r.rows[0].n)).toEqual([0, 0]);
      await Promise.all(clients.map((c) => c.end()));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('refuses a directory that holds files but no database, and leaves it as it was', async () => {
    const dataDir = join(root, 'stray');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'notes.txt'), 'not a database');
    await expect(startEmbeddedPostgres({ dataDir, maxConnections: 2 })).rejects.toThrow(/no PG_VERSION/);
    expect(existsSync(join(dataDir, 'notes.txt'))).toBe(true);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
  });
});
