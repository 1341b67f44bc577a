import type { Server } from 'node:http';
import express from 'express';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger';
import { closeServer, listen } from '../../src/server/http';
import { jsonFallbacks } from '../../src/server/json.errors';
import { serviceEndpoints, type HealthCheck } from '../../src/server/service.endpoints';

describe('the service endpoints and the JSON fallbacks', () => {
  let server: Server;
  let base: string;
  const lines: string[] = [];
  let databaseUp = true;
  beforeAll(async () => {
    const registry = new Registry();
    new Counter({ name: 'probe_test_total', help: 'A counter of this test', registers: [registry] }).inc(3);
    const readiness: Record<string, HealthCheck> = {
      database: async () => databaseUp,
      redis: async () => ({ status: 'up' }),
    };
    const app = express();
    app.use(
      serviceEndpoints({
        service: 'probed',
        instance: 'instance-1',
        registry,
        readiness,
        liveness: { upstream: () => Promise.reject(new Error('connection refused')) },
      }),
    );
    app.get('/broken', () => {
      throw new Error('a bug');
    });
    app.get('/too-large', () => {
      throw Object.assign(new Error('request entity too large'), { status: 413 });
    });
    app.get('/bad', () => {
      throw Object.assign(new Error('unexpected token'), { status: 400 });
    });
    const log = createLogger('probed', 'error', { write: (line: string) => void lines.push(line) });
    app.use(jsonFallbacks(log));
    const running = await listen(app, 0, '127.0.0.1');
    server = running.server;
    base = `http://127.0.0.1:${running.port}`;
  });
  afterAll(() => closeServer(server));

  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${base}${path}`, init);
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      type,
      allow: res.headers.get('allow'),
      body: type.includes('json') ? await res.json() : await res.text(),
    };
  };
  const codeOf = (body: unknown) => (body as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code;

  it('answers /ready 200 when every check is up, 503 naming the one that is not', async () => {
    databaseUp = true;
    expect(await get('/ready')).toMatchObject({
      status: 200,
      body: {
        status: 'ready',
        service: 'probed',
        instance: 'instance-1',
        checks: { database: { status: 'up' }, redis: { status: 'up' } },
      },
    });
    databaseUp = false;
    const down = await get('/ready');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      status: 'not ready',
      service: 'probed',
      instance: 'instance-1',
      checks: { database: { status: 'down' }, redis: { status: 'up' } },
    });
  });

  it('answers /health 200 while it serves, degraded with the reason when a reported check fails', async () => {
    expect(await get('/health')).toMatchObject({
      status: 200,
      body: { status: 'degraded', checks: { upstream: { status: 'down', detail: 'connection refused' } } },
    });
  });

  it('exposes the registry on /metrics as Prometheus text', async () => {
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(/^probe_test_total 3$/m);
  });

  it('refuses another method on the endpoints with 405 BAD_REQUEST and Allow', async () => {
    for (const [path, method] of [
      ['/health', 'POST'],
      ['/ready', 'PUT'],
      ['/metrics', 'DELETE'],
    ] as const) {
      const r = await get(path, { method });
      expect({ path, status: r.status, allow: r.allow, code: codeOf(r.body) }).toEqual({
        path,
        status: 405,
        allow: 'GET, HEAD',
        code: 'BAD_REQUEST',
      });
    }
  });

  it('answers unknown paths 404 NOT_FOUND and errors in one set of codes, as JSON', async () => {
    const unknown = await get('/nothing/here');
    expect([unknown.status, unknown.type, codeOf(unknown.body)]).toEqual([
      404,
      'application/json; charset=utf-8',
      'NOT_FOUND',
    ]);
    expect((await get('/nothing', { method: 'POST' })).status).toBe(404);
    const tooLarge = await get('/too-large');
    expect([tooLarge.status, codeOf(tooLarge.body)]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const bad = await get('/bad');
    expect([bad.status, codeOf(bad.body)]).toEqual([400, 'BAD_REQUEST']);
    const broken = await get('/broken');
    expect(broken).toMatchObject({
      status: 500,
      body: { errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
    });
    expect(lines.filter((l) => l.includes('request failed'))).toHaveLength(1);
  });
});
