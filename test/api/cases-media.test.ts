import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CaseDocument } from '../../operations/generated/graphql';
import { ok } from '../support/client';
import { adminToken, reportCase, signUp } from './cases.fixtures';

const run = promisify(execFile);
/** What the cases subgraph builds public URLs on when PUBLIC_ORIGIN is not set. */
const PUBLIC_ORIGIN = 'http://localhost:4000';

/** The same path on the router actually serving this test run. */
const viaRouter = (pathOrUrl: string) =>
  new URL(new URL(pathOrUrl, PUBLIC_ORIGIN).pathname, new URL(inject('routerUrl')).origin).toString();

async function put(caseId: string, body: Buffer, contentType: string, token?: string) {
  const res = await fetch(viaRouter(`/media/cases/${caseId}/photo`), {
    method: 'PUT',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: new Uint8Array(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { photoUrl?: string; errors?: { message: string; extensions: { code: string } }[] },
  };
}

describe("case photos and posters through the router's /media/", () => {
  let reporter: Awaited<ReturnType<typeof signUp>>;
  let other: Awaited<ReturnType<typeof signUp>>;
  let admin: string;
  let png: Buffer;
  let work: string;
  beforeAll(async () => {
    [reporter, other, admin] = await Promise.all([signUp('photo'), signUp('stranger'), adminToken()]);
    png = await sharp({ create: { width: 1200, height: 1600, channels: 3, background: { r: 180, g: 120, b: 90 } } })
      .png()
      .toBuffer();
    work = await mkdtemp(path.join(tmpdir(), 'cases-media-test-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("stores the reporter's upload as a resized JPEG, exposes photoUrl and serves it with cache headers", async () => {
    const c = await reportCase(reporter.token);
    const up = await put(c.id, png, 'image/png', reporter.token);
    expect(up.status).toBe(200);
    const { photoUrl } = (await ok(CaseDocument, { id: c.id })).case!;
    expect(photoUrl).toBe(up.body.photoUrl);
    expect(photoUrl!.startsWith(`${PUBLIC_ORIGIN}/media/photos/`)).toBe(true);
    const res = await fetch(viaRouter(photoUrl!));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toContain('max-age=');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 600, height: 800 });
    const replaced = await put(c.id, png, 'image/png', admin);
    expect(replaced.status).toBe(200);
    expect(replaced.body.photoUrl).not.toBe(photoUrl);
    expect((await fetch(viaRouter(photoUrl!))).status).toBe(404);
  });

  it('refuses uploads with the right status and code', async () => {
    const c = await reportCase(reporter.token);
    const refusal = async (p: Promise<Awaited<ReturnType<typeof put>>>) => {
      const r = await p;
      return [r.status, r.body.errors?.[0]?.extensions.code];
    };
    expect(await refusal(put(c.id, png, 'image/png'))).toEqual([401, 'UNAUTHENTICATED']);
    expect(await refusal(put(c.id, png, 'image/png', other.token))).toEqual([403, 'FORBIDDEN']);
    expect(await refusal(put('00000000-0000-4000-8000-000000000000', png, 'image/png', reporter.token))).toEqual([
      404,
      'NOT_FOUND',
    ]);
    expect(await refusal(put(c.id, Buffer.from('just some text'), 'text/plain', reporter.token))).toEqual([
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
    expect(await refusal(put(c.id, Buffer.from('%PDF-1.7 not an image at all'), 'image/png', reporter.token))).toEqual([
      422,
      'INVALID_IMAGE',
    ]);
    const truncated = png.subarray(0, Math.floor(png.length / 2));
    expect(await refusal(put(c.id, truncated, 'image/png', reporter.token))).toEqual([422, 'INVALID_IMAGE']);
    expect(await refusal(put(c.id, Buffer.alloc(8 * 1024 * 1024 + 1, 1), 'image/jpeg', reporter.token))).toEqual([
      413,
      'PAYLOAD_TOO_LARGE',
    ]);
    expect((await ok(CaseDocument, { id: c.id })).case!.photoUrl).toBeNull();
  });

  it("renders a one-page PDF poster whose QR code opens the case's public page; the private phone only for the reporter", async () => {
    const c = await reportCase(reporter.token, { childName: 'Poster Child', contactPhone: '+33 6 98 76 54 32' });
    expect((await put(c.id, png, 'image/png', reporter.token)).status).toBe(200);
    const { posterUrl } = (await ok(CaseDocument, { id: c.id })).case!;
    const poster = async (name: string, token?: string) => {
      const res = await fetch(viaRouter(posterUrl), { headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const pdf = Buffer.from(await res.arrayBuffer());
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const file = path.join(work, `${name}.pdf`);
      await writeFile(file, pdf);
      const pages = Number(/^Pages:\s+(\d+)/m.exec((await run('pdfinfo', [file])).stdout)?.[1]);
      const text = (await run('pdftotext', [file, '-'])).stdout.replace(/\s+/g, ' ');
      await run('pdftoppm', ['-png', '-r', '110', '-singlefile', file, path.join(work, name)]);
      const image = PNG.sync.read(await readFile(path.join(work, `${name}.png`)));
      const qr = jsQR(
        new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length),
        image.width,
        image.height,
      );
      return { pages, text, qr: qr?.data };
    };
    const mine = await poster('reporter', reporter.token);
    expect(mine.pages).toBe(1);
    expect(mine.qr).toBe(`${PUBLIC_ORIGIN}/cases/${c.reportId}`);
    expect(mine.text).toContain('Poster Child');
    expect(mine.text).toContain(c.reportId);
    expect(mine.text).toContain('+33698765432');
    const anyone = await poster('anonymous');
    expect(anyone.qr).toBe(`${PUBLIC_ORIGIN}/cases/${c.reportId}`);
    expect(anyone.text).not.toContain('+33698765432');
    expect(anyone.text).toContain('112');
    expect((await fetch(viaRouter('/media/cases/00000000-0000-4000-8000-000000000000/poster.pdf'))).status).toBe(404);
  });

  it('refuses media requests that do not come through the router', async () => {
    const direct = new URL('/media/photos/x.jpg', inject('subgraphUrls').cases!).toString();
    const res = await fetch(direct);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      'UNAUTHENTICATED',
    );
  });
});
