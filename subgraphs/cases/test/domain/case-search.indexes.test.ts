import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RunningService } from '@supergraph/kit';
import { loadConfig } from '../../src/config';
import { searchSql, type CaseQuery } from '../../src/domain/case.search';
import { CaseOrder, CaseStatus, Gender } from '../../src/entities/case.enums';
import { start } from '../../src/server';

const DAY = 86_400_000;

/**
 * The query plans of the searches clients send, on a table big enough for the planner to care
 * (20 000 cases over a year, Europe-wide): each is answered from an index, never a full scan.
 */
describe('case search indexes', () => {
  let service: RunningService;
  let em: EntityManager;
  beforeAll(async () => {
    service = await start(
      loadConfig({ DATA_DIR: ':memory:', PORT: '0', LOG_LEVEL: 'warn', SEED: 'false', NODE_ENV: 'test' }),
    );
    em = service.deps.db.orm.em.fork() as EntityManager;
    await em.getConnection().execute(
      `insert into "missing_case" ("id", "report_id", "status", "child_name", "age", "gender", "last_seen_at", "last_seen_place",
         "lat", "lng", "contact_phone", "reporter_id", "created_at", "updated_at")
       select gen_random_uuid(), 'MC20260101' || lpad(to_hex(i), 8, '0'),
              (array['MISSING','MISSING','MISSING','FOUND','CLOSED'])[1 + i % 5], 'Child ' || i, i % 18,
              (array['FEMALE','MALE','OTHER','UNKNOWN'])[1 + i % 4], now() - (i % 365) * interval '1 day' - (i % 97) * interval '1 minute',
              'Somewhere', 36 + (i % 2000) / 100.0, -9 + (i % 3000) / 100.0, '+41791234567', gen_random_uuid(), now(), now()
         from generate_series(1, 20000) as i`,
    );
    await em.getConnection().execute('analyze "missing_case"');
  });
  afterAll(() => service?.stop());

  const plan = async (query: CaseQuery, order: CaseOrder) => {
    const { page } = searchSql(query, order, 20, null);
    const rows = await em.getConnection().execute<{ 'QUERY PLAN': string }[]>(`explain ${page.sql}`, page.params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  };
  const week = new Date(Date.now() - 7 * DAY);
  const cases: Array<[string, CaseQuery, CaseOrder]> = [
    [
      'girls 6–9 missing this week, newest',
      { status: CaseStatus.MISSING, gender: Gender.FEMALE, ageMin: 6, ageMax: 9, lastSeenAfter: week },
      CaseOrder.NEWEST,
    ],
    ['missing children aged 3–5, oldest', { status: CaseStatus.MISSING, ageMin: 3, ageMax: 5 }, CaseOrder.OLDEST],
    ['missing boys, newest', { status: CaseStatus.MISSING, gender: Gender.MALE }, CaseOrder.NEWEST],
    [
      'last seen in a date range',
      { lastSeenAfter: new Date(Date.now() - 60 * DAY), lastSeenBefore: new Date(Date.now() - 30 * DAY) },
      CaseOrder.OLDEST,
    ],
    [
      'missing near a point, nearest',
      { status: CaseStatus.MISSING, near: { lat: 46.2, lng: 6.1, radiusKm: 25 } },
      CaseOrder.NEAREST,
    ],
    [
      'girls near a point this week, nearest',
      { gender: Gender.FEMALE, lastSeenAfter: week, near: { lat: 46.2, lng: 6.1, radiusKm: 25 } },
      CaseOrder.NEAREST,
    ],
  ];
  it.each(cases)('%s: from an index, no sequential scan', async (_name, query, order) => {
    const text = await plan(query, order);
    expect(text).not.toMatch(/Seq Scan/);
    expect(text).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
  });
});
