import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, listen, closeServer, verifyIdentity } from '@supergraph/kit';
import { AccessTokenVerifier } from '../src/access-token.verifier';
import { casePageProxy } from '../src/case-page.proxy';
import { MemoryRateLimiter } from '../src/limits/rate.limiter';

const SECRET = 'case-page-proxy-test-secret-0123456789';

describe("the router's /cases proxy", () => {
  let upstream: Server;
  let router: Server;
  let base: string;
  let seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  let limiter: MemoryRateLimiter;
  beforeAll(async () => {
    // The cases subgraph's stand-in: a real HTTP server that answers a page or a redirect.
    upstream = createServer((req, res) => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers });
      req.resume();
      req.on('end', () => {
        if (req.method === 'POST')
          return void res.writeHead(303, { location: '/cases/MC1?sighting=received', 'set-cookie': 'x=1' }).end();
        res
          .writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': "default-src 'none'",
            'x-internal': 'secret',
          })
          .end('<!doctype html><h1>A case</h1>');
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    limiter = new MemoryRateLimiter();
    const app = express();
    app.set('trust proxy', 'loopback');
    app.use(
      '/cases',
      (_req, res, next) => ((res.locals.correlationId = 'corr-case-page-1'), next()),
      casePageProxy({
        targetUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
        verifier: new AccessTokenVerifier('http://127.0.0.1:9/.well-known/jwks.json', 'supergraph-users'),
        secret: SECRET,
        timeoutMs: 2_000,
        limiter,
        rateLimits: { perIpPerMinute: 6, perUserPerMinute: 0 },
        allowedOrigins: ['https://app.example'],
      }),
    );
    const running = await listen(app, 0, '127.0.0.1');
    router = running.server;
    base = `http://127.0.0.1:${running.port}`;
  });
  afterAll(async () => {
    await closeServer(router);
    upstream.close();
    await limiter.close();
  });

  it('forwards pages and same-origin form posts with a signed identity, passing only the listed headers', async () => {
    seen = [];
    const page = await fetch(`${base}/cases/MC1`, { headers: { cookie: 'session=abc' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>A case</h1>');
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(page.headers.get('x-internal')).toBeNull();
    const sent = await fetch(`${base}/cases/MC1/sightings`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, 'sec-fetch-site': 'same-origin' },
      body: 'place=here&seenAgo=0',
    });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/cases/MC1?sighting=received');
    expect(sent.headers.get('set-cookie')).toBeNull();
    const allowed = await fetch(`${base}/cases/MC1/sightings`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: 'https://app.example', 'sec-fetch-site': 'cross-site' },
      body: 'place=x',
    });
    expect(allowed.status).toBe(303);
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ['GET', '/cases/MC1'],
      ['POST', '/cases/MC1/sightings'],
      ['POST', '/cases/MC1/sightings'],
    ]);
    expect(seen[0]!.headers.cookie).toBeUndefined();
    expect(await verifyIdentity(seen[1]!.headers[IDENTITY_HEADER] as string, SECRET)).toMatchObject({
      identity: {},
      correlationId: 'corr-case-page-1',
    });
  });

  it('refuses cross-site posts, and requests over the per-IP limit, with an HTML page', async () => {
    seen = [];
    const refused: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
    ];
    for (const headers of refused) {
      const res = await fetch(`${base}/cases/MC1/sightings`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: 'place=x',
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
    expect(seen).toEqual([]);
    // The limit (6 a minute here) counts every /cases request of the address: the 7th is refused.
    const limited = await fetch(`${base}/cases/MC1`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await limited.text()).toContain('Too many requests from your address');
  });
});
