// page.waitForFunction runs its callback in the browser, where `document` exists.
/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import {
  RecentAlertsDocument,
  RecomputeRiskZonesDocument,
  RiskZonesDocument,
} from '../../operations/generated/graphql';
import { ok } from '../support/client';
import { ADMIN, adminToken, reportCase, signUp } from './cases.fixtures';

/** Screenshots kept as test artifacts (git-ignored). */
const ARTIFACTS = join(__dirname, '..', '..', 'test-results');
const OSM_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

/** Polls `read` every 200 ms until it returns a truthy value, for up to 20 s (events travel asynchronously). */
async function until<T>(read: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('condition not met within 20 s');
}

const attr = async (page: Page, selector: string, name: string) => Number(await page.getAttribute(selector, name));

describe('the live dashboard in a real browser', () => {
  let browser: Browser;
  const origin = () => new URL(inject('routerUrl')).origin;
  beforeAll(async () => {
    // Debian's Chromium (installed by scripts/system-deps.sh), never a downloaded browser.
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(() => browser?.close());

  it('hands the page its tile source: OpenStreetMap by default', async () => {
    const res = await fetch(`${origin()}/dashboard/config.json`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { tileUrl: string }).tileUrl).toBe(OSM_TILES);
  });

  it('opens with a recent alert, maps open cases, shows an ADMIN the trend and zones, and stays live', async () => {
    const tag = Date.now().toString(36);
    const reporter = await signUp('dashboard');
    const admin = await adminToken();
    const earlier = await reportCase(reporter.token, {
      childName: `Nora ${tag}`,
      lastSeenPlace: 'Lyon',
      location: { lat: 45.764, lng: 4.8357 },
    });
    // Raised before the page opens; and in a risk zone once analytics knows the case.
    await until(async () =>
      (await ok(RecentAlertsDocument, { first: 20 })).recentAlerts.some((a) => a.case.id === earlier.id),
    );
    const zone = await until(async () => {
      await ok(RecomputeRiskZonesDocument, {}, { token: admin });
      const { riskZones } = await ok(RiskZonesDocument, { minScore: null }, { token: admin });
      return riskZones.find((z) => z.cases.some((c) => c.id === earlier.id));
    });

    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    // No tile can load here (no network); abort them at once so the page's fallback is what is tested.
    await page.route('https://tile.openstreetmap.org/**', (route) => route.abort());
    await page.goto(`${origin()}/dashboard/`);
    await page.waitForSelector('body[data-connection="live"][data-loaded="true"]', { timeout: 15_000 });

    // The list opened with the earlier alert; the map marks its case even without tiles.
    const recent = page.locator(`.alert[data-case-id="${earlier.id}"]`);
    expect(await recent.getAttribute('data-source')).toBe('recent');
    expect(await recent.locator('h3').textContent()).toBe(`Nora ${tag}`);
    await page.locator(`#map path.case-marker[data-case-id="${earlier.id}"]`).waitFor({ state: 'attached' });
    await page.waitForSelector('#map[data-tiles="unavailable"]', { state: 'attached' });
    expect(await page.textContent('#tilesNote')).toContain('still marked');
    // Anonymous: no ADMIN views.
    expect(await page.textContent('#trendNote')).toContain('Sign in as an ADMIN');
    expect(await page.locator('#map .risk-zone').count()).toBe(0);

    // Sign in on the page as ADMIN: the zone and the trend appear.
    await page.fill('#email', ADMIN.email);
    await page.fill('#password', ADMIN.password);
    await page.click('#signIn button[type="submit"]');
    await page.waitForSelector('body[data-role="ADMIN"]');
    await page.locator(`#map path.risk-zone[data-zone-id="${zone.id}"]`).waitFor({ state: 'attached' });
    await page.locator('#trend .uplot canvas').first().waitFor();
    expect(await attr(page, '#trend', 'data-buckets')).toBe(30);
    expect(await attr(page, '#trend', 'data-reported-today')).toBeGreaterThanOrEqual(1);
    const reportedBefore = await attr(page, '#trend', 'data-reported');

    // A case reported now: listed on top, marked, counted by the chart and the counters, without reload.
    const liveCase = await reportCase(reporter.token, {
      childName: `Lina ${tag}`,
      lastSeenPlace: 'Marseille',
      location: { lat: 43.2965, lng: 5.3698 },
    });
    const liveAlert = page.locator(`.alert[data-case-id="${liveCase.id}"]`);
    await liveAlert.waitFor({ timeout: 15_000 });
    expect(await liveAlert.getAttribute('data-source')).toBe('live');
    expect(await page.locator('#alerts > li').first().getAttribute('data-case-id')).toBe(liveCase.id);
    expect(await liveAlert.textContent()).toContain(liveCase.reportId);
    await page.locator(`#map path.case-marker[data-case-id="${liveCase.id}"]`).waitFor({ state: 'attached' });
    await page.waitForFunction((n) => Number(document.getElementById('trend')?.dataset.reported) > n, reportedBefore, {
      timeout: 15_000,
    });
    await page.waitForFunction(() => /^\d+$/.test(document.getElementById('openCases')?.textContent ?? ''), undefined, {
      timeout: 15_000,
    });

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `dashboard-${inject('mode')}.png`), fullPage: true });
    // Signing out takes the ADMIN views away again.
    await page.click('#signOut');
    await page.waitForSelector('body[data-role="none"]');
    expect(await page.locator('#map .risk-zone').count()).toBe(0);
  });
});
