import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  boundingBox,
  boundingBoxSql,
  boxContains,
  distanceKm,
  distanceParams,
  distanceSql,
  type GeoPoint,
} from '../../src/geo';

/** The points the table holds: a grid around Paris, around the antimeridian near Fiji, and a few far ones. */
const POINTS: GeoPoint[] = [
  ...grid(48.8566, 2.3522, 1.5, 0.25),
  ...grid(-17.7, 179.95, 0.6, 0.1).map((p) => ({ lat: p.lat, lng: p.lng > 180 ? p.lng - 360 : p.lng })),
  { lat: 51.5074, lng: -0.1278 },
  { lat: -33.8688, lng: 151.2093 },
  { lat: 89.95, lng: 10 },
  { lat: 0, lng: -180 },
];

function grid(lat: number, lng: number, span: number, step: number): GeoPoint[] {
  const points: GeoPoint[] = [];
  for (let dLat = -span; dLat <= span + 1e-9; dLat += step)
    for (let dLng = -span; dLng <= span + 1e-9; dLng += step) points.push({ lat: lat + dLat, lng: lng + dLng });
  return points;
}

/** Our SQL uses `?` placeholders (knex, MikroORM); PGlite numbers them. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

let db: PGlite;

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec('create table "place" ("id" int primary key, "lat" float8 not null, "lng" float8 not null)');
  await db.query(
    'insert into "place" select * from jsonb_to_recordset($1::jsonb) as p("id" int, "lat" float8, "lng" float8)',
    [JSON.stringify(POINTS.map((p, id) => ({ id, ...p })))],
  );
});

afterAll(async () => {
  await db.close();
});

describe('geo SQL on Postgres (PGlite)', () => {
  it('computes the same distances as distanceKm', async () => {
    const centres: GeoPoint[] = [
      { lat: 48.8566, lng: 2.3522 },
      { lat: -17.7, lng: -179.95 },
      { lat: 0, lng: 0 },
    ];
    for (const centre of centres) {
      const { rows } = await db.query<{ id: number; d: number }>(
        numbered(`select "id", ${distanceSql('"lat"', '"lng"')} as "d" from "place" order by "id"`),
        distanceParams(centre),
      );
      expect(rows).toHaveLength(POINTS.length);
      for (const row of rows) expect(row.d).toBeCloseTo(distanceKm(centre, POINTS[row.id]!), 6);
    }
  });

  it('selects by bounding box exactly the points boxContains accepts', async () => {
    const circles: Array<[number, number, number]> = [
      [48.8566, 2.3522, 60],
      [-17.7, 179.95, 40],
      [-17.7, -179.98, 25],
      [89.9, 0, 50],
    ];
    for (const [lat, lng, radiusKm] of circles) {
      const box = boundingBox(lat, lng, radiusKm);
      const where = boundingBoxSql('"lat"', '"lng"', box);
      const { rows } = await db.query<{ id: number }>(
        numbered(`select "id" from "place" where ${where.sql} order by "id"`),
        where.params,
      );
      const expected = POINTS.flatMap((p, id) => (boxContains(box, p) ? [id] : []));
      expect(expected.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.id)).toEqual(expected);
    }
  });

  it('finds the points within a radius as the JS distance does', async () => {
    const centre = { lat: -17.7, lng: 179.95 };
    const radiusKm = 30;
    const box = boundingBoxSql('"lat"', '"lng"', boundingBox(centre.lat, centre.lng, radiusKm));
    const { rows } = await db.query<{ id: number }>(
      numbered(`select "id" from "place" where ${box.sql} and ${distanceSql('"lat"', '"lng"')} <= ? order by "id"`),
      [...box.params, ...distanceParams(centre), radiusKm],
    );
    const expected = POINTS.flatMap((p, id) => (distanceKm(centre, p) <= radiusKm ? [id] : []));
    expect(expected.length).toBeGreaterThan(10);
    expect(rows.map((r) => r.id)).toEqual(expected);
  });
});
