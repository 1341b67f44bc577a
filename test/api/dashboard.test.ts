// page.waitForFunction runs its callback in the browser, where `document` exists.
/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { ReportCaseDocument, SignUpDocument } from '../../operations/generated/graphql';
import { ok, uniqueEmail } from '../support/client';

const ARTIFACTS = join(__dirname, '..', '..', 'test-results');

describe('the live dashboard in a real browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    // Debian's Chromium (installed by scripts/system-deps.sh), never a downloaded browser.
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(() => browser?.close());

  it('shows a case reported through the API as a new alert, live', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const origin = new URL(inject('routerUrl')).origin;
    await page.goto(`${origin}/dashboard/`);
    await page.waitForSelector('body[data-connection="live"]', { timeout: 15_000 });

    const { signUp } = await ok(SignUpDocument, { input: { email: uniqueEmail('dashboard'), password: 'correct-horse-7', displayName: 'Dash Board' } });
    const childName = `Lina ${Date.now().toString(36)}`;
    const { reportCase } = await ok(
      ReportCaseDocument,
      {
        input: {
          childName,
          age: 7,
          gender: 'FEMALE',
          description: 'Red raincoat, yellow boots.',
          lastSeenAt: new Date(Date.now() - 30 * 60_000).toISOString(),
          lastSeenPlace: 'Lyon',
          location: { lat: 45.764, lng: 4.8357 },
          contactPhone: '+33 6 12 34 56 78',
        },
      },
      { token: signUp.accessToken },
    );

    const alert = page.locator(`.alert[data-case-id="${reportCase.id}"]`);
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.locator('h3').textContent()).toBe(childName);
    expect(await alert.textContent()).toContain('Lyon');
    expect(await alert.textContent()).toContain(reportCase.reportId);
    await page.waitForFunction(() => /^\d+$/.test(document.getElementById('openCases')?.textContent ?? ''), undefined, { timeout: 15_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `dashboard-${inject('mode')}.png`), fullPage: true });
  });
});
