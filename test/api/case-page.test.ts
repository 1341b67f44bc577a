// page.evaluate runs its callback in the browser, where `window` and axe exist.
/// <reference lib="dom" />
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'graphql';
import {
  CaseDocument,
  CaseSightingsDocument,
  DeleteCasesDocument,
  ReportSightingDocument,
  SetCaseStatusDocument,
  type CaseStatus,
} from '../../operations/generated/graphql';
import { ok, sqlStatements } from '../support/client';
import { adminToken, reportCase, signUp, uniqueWord } from './cases.fixtures';

const run = promisify(execFile);
const ARTIFACTS = path.join(__dirname, '..', '..', 'test-results');
const AXE = require.resolve('axe-core/axe.min.js');
/** What the cases subgraph builds public URLs on when PUBLIC_ORIGIN is not set. */
const PUBLIC_ORIGIN = 'http://localhost:4000';
/** The same path on the router actually serving this test run. */
const viaRouter = (pathOrUrl: string) => {
  const u = new URL(pathOrUrl, PUBLIC_ORIGIN);
  return new URL(u.pathname + u.search, new URL(inject('routerUrl')).origin).toString();
};
const SIGHTING_CONTACTS = parse('query($id: ID!) { case(id: $id) { sightings { place contact seenAt } } }');

/** The serious and critical accessibility violations axe-core finds in the page. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() =>
    (
      window as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> };
      }
    ).axe.run(),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.nodes.length})`);
}

/** The URL in the QR code of a case's poster (rendered to an image as a phone camera would see it). */
async function posterQr(work: string, posterUrl: string): Promise<string | undefined> {
  const res = await fetch(viaRouter(posterUrl));
  expect(res.status).toBe(200);
  const file = path.join(work, 'poster.pdf');
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  await run('pdftoppm', ['-png', '-r', '110', '-singlefile', file, path.join(work, 'poster')]);
  const image = PNG.sync.read(await readFile(path.join(work, 'poster.png')));
  return jsQR(
    new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length),
    image.width,
    image.height,
  )?.data;
}

const post = (reportId: string, body: string, headers: Record<string, string> = {}) =>
  fetch(viaRouter(`/cases/${reportId}/sightings`), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });

describe('the public case page at /cases/{reportId} on the router', () => {
  let browser: Browser;
  let reporter: Awaited<ReturnType<typeof signUp>>;
  let admin: string;
  let work: string;
  beforeAll(async () => {
    // Debian's Chromium (installed by scripts/system-deps.sh), never a downloaded browser.
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    [reporter, admin] = await Promise.all([signUp('casepage'), adminToken()]);
    work = await mkdtemp(path.join(tmpdir(), 'case-page-test-'));
  });
  afterAll(async () => {
    await browser?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("opens from the poster's QR code in Chromium: the child, escaped, with photo and share tags, no reporter data, accessible", async () => {
    const childName = `Zoé <b>"O'Hara"</b> ${uniqueWord('n')}`;
    const c = await reportCase(reporter.token, {
      childName,
      description: 'Red coat & <i>blue</i> boots.',
      contactPhone: '+33 6 11 22 33 44',
      lastSeenPlace: 'Lyon, France',
    });
    const png = await sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 90, g: 140, b: 200 } } })
      .png()
      .toBuffer();
    const upload = await fetch(viaRouter(`/media/cases/${c.id}/photo`), {
      method: 'PUT',
      headers: { 'content-type': 'image/png', authorization: `Bearer ${reporter.token}` },
      body: new Uint8Array(png),
    });
    expect(upload.status).toBe(200);
    const { posterUrl, photoUrl } = (await ok(CaseDocument, { id: c.id })).case!;
    const qr = await posterQr(work, posterUrl);
    expect(qr).toBe(`${PUBLIC_ORIGIN}/cases/${c.reportId}`);

    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, bypassCSP: true }); // a phone; axe is injected
    const res = await page.goto(viaRouter(qr!));
    expect(res!.status()).toBe(200);
    expect(res!.headers()['content-security-policy']).toContain("default-src 'none'"); // no script runs on the page
    expect(await page.locator('h1').textContent()).toBe(childName);
    expect(await page.locator('h1 b').count()).toBe(0);
    const body = (await page.locator('main').textContent())!;
    expect(body).toContain('Lyon, France');
    expect(body).toContain('Red coat & <i>blue</i> boots.');
    expect(body).toContain(c.reportId);
    expect(body).toContain('112 (emergency services)');
    await page.waitForFunction(
      () => (document.querySelector('img.photo') as HTMLImageElement | null)?.naturalWidth === 600,
    );
    const meta = (key: string) => page.locator(`meta[property="${key}"], meta[name="${key}"]`).getAttribute('content');
    expect(await meta('og:title')).toBe(`Missing: ${childName}, 8`);
    expect(await meta('og:image')).toBe(photoUrl);
    expect(await meta('og:url')).toBe(`${PUBLIC_ORIGIN}/cases/${c.reportId}`);
    expect(await meta('twitter:card')).toBe('summary_large_image');
    expect(await meta('twitter:image')).toBe(photoUrl);
    const html = await page.content();
    for (const secret of [reporter.displayName, reporter.id, '+33611223344', '+33 6 11 22 33 44'])
      expect(html).not.toContain(secret);
    expect(await seriousViolations(page)).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `case-page-${inject('mode')}.png`), fullPage: true });
    await page.close();
  });

  it("takes a sighting from the form in Chromium through reportSighting's rules: a clear answer on bad input, then the sighting on the case", async () => {
    const c = await reportCase(reporter.token, { childName: 'Malo Girard', gender: 'MALE' as never });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    await page.goto(viaRouter(`/cases/${c.reportId}`));
    await page.fill('#description', 'Green hoodie, heading to the river.');
    const [refused] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(refused!.status()).toBe(400);
    expect(await page.locator('[role=alert]').textContent()).toContain('The place must not be empty.');
    expect(await page.locator('#place').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#description').inputValue()).toBe('Green hoodie, heading to the river.');
    expect(await seriousViolations(page)).toEqual([]);

    const place = `Pont de la Guillotière ${uniqueWord('p')}`;
    await page.fill('#place', place);
    await page.selectOption('#seenAgo', '30');
    await page.fill('#contact', '+33 7 00 00 00 01');
    const [taken] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(taken!.status()).toBe(200);
    expect(new URL(page.url()).search).toBe('?sighting=received');
    expect(await page.locator('[role=status]').textContent()).toContain('Thank you');
    expect(await page.locator('#sightings').textContent()).toContain(place);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();

    const sightings = (await ok(CaseSightingsDocument, { id: c.id })).case!.sightings;
    expect(sightings.map((s) => [s.place, s.status])).toEqual([[place, 'NEW']]);
    const minutesAgo = (Date.now() - Date.parse(sightings[0]!.seenAt)) / 60_000;
    expect(minutesAgo).toBeGreaterThanOrEqual(29);
    expect(minutesAgo).toBeLessThan(35);
    const privateView = (await ok(SIGHTING_CONTACTS, { id: c.id } as never, { token: reporter.token })) as {
      case: { sightings: { contact: string }[] };
    };
    expect(privateView.case.sightings[0]!.contact).toBe('+33 7 00 00 00 01');
  });

  it('answers unknown, deleted, found and malformed requests with the right page, never a 500', async () => {
    const get = (p: string, headers: Record<string, string> = {}) =>
      fetch(viaRouter(p), { redirect: 'manual', headers });
    const page = async (r: Promise<Response>) => {
      const res = await r;
      if (res.status < 300 || res.status >= 400) expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      return { status: res.status, text: await res.text(), location: res.headers.get('location') };
    };
    for (const p of ['/cases/MC20990101DEADBEEF', '/cases/garbage', '/cases', '/cases/', '/cases/a/b/c']) {
      const r = await page(get(p));
      expect([p, r.status]).toEqual([p, 404]);
      expect(r.text).toContain('Case not found');
    }
    const c = await reportCase(reporter.token, { childName: 'Inès Roux' });
    expect(await page(get(`/cases/${c.id}`))).toMatchObject({ status: 301, location: `/cases/${c.reportId}` });
    expect(await page(get(`/cases/${c.reportId.toLowerCase()}`))).toMatchObject({
      status: 301,
      location: `/cases/${c.reportId}`,
    });
    const first = await get(`/cases/${c.reportId}`);
    expect((await get(`/cases/${c.reportId}`, { 'if-none-match': first.headers.get('etag')! })).status).toBe(304);

    const form = (over: Record<string, string> = {}) =>
      new URLSearchParams({ seenAgo: '0', place: 'Rue de la République', ...over }).toString();
    expect((await page(post(c.reportId, form(), { origin: 'https://evil.example' }))).status).toBe(403);
    expect((await page(post(c.reportId, form(), { 'sec-fetch-site': 'cross-site' }))).status).toBe(403);
    expect(
      (await page(post(c.reportId, JSON.stringify({ place: 'x' }), { 'content-type': 'application/json' }))).status,
    ).toBe(415);
    expect((await page(post(c.reportId, form({ description: 'x'.repeat(20_000) })))).status).toBe(413);
    const badTime = await page(post(c.reportId, form({ seenAgo: '999' })));
    expect(badTime.status).toBe(400);
    expect(badTime.text).toContain('The time you saw the child must be one of the choices of the form.');
    const tooLong = await page(post(c.reportId, form({ description: 'x'.repeat(2001) })));
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('What you saw must be at most 2000 characters.');
    expect((await page(post('MC20990101DEADBEEF', form()))).status).toBe(404);
    expect(await page(post(c.reportId, form()))).toMatchObject({
      status: 303,
      location: `/cases/${c.reportId}?sighting=received#sightings`,
    });

    await ok(
      SetCaseStatusDocument,
      { id: c.id, status: 'FOUND' as CaseStatus, note: 'Home safe.' },
      { token: reporter.token },
    );
    const found = await page(get(`/cases/${c.reportId}`));
    expect(found.status).toBe(200);
    expect(found.text).toContain('Inès Roux has been found');
    expect(found.text).toContain('<meta property="og:title" content="Found: Inès Roux">');
    expect(found.text).not.toContain('<form');
    const late = await page(post(c.reportId, form()));
    expect(late.status).toBe(409);
    expect(late.text).toContain('no longer missing');

    await ok(DeleteCasesDocument, { ids: [c.id] }, { token: admin });
    expect((await page(get(`/cases/${c.reportId}`))).status).toBe(404);
  });

  it('costs the same SQL statements per page whatever the number of sightings', async () => {
    const quiet = await reportCase(reporter.token);
    const busy = await reportCase(reporter.token);
    for (let i = 0; i < 12; i++)
      await ok(ReportSightingDocument, {
        input: {
          caseId: busy.id,
          seenAt: new Date().toISOString(),
          place: `corner ${i}`,
          location: { lat: 45.7, lng: 4.8 },
        },
      });
    const cost = async (reportId: string) => {
      const before = await sqlStatements('cases');
      expect((await fetch(viaRouter(`/cases/${reportId}`))).status).toBe(200);
      return (await sqlStatements('cases')) - before;
    };
    expect(await cost(quiet.reportId)).toBe(2); // the case and its sightings
    expect(await cost(busy.reportId)).toBe(2);
  });
});
