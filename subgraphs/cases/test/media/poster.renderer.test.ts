import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError } from '../../src/media/media.errors';
import { renderPoster, type PosterInput } from '../../src/media/poster.renderer';

const run = promisify(execFile);

const BASE: PosterInput = {
  childName: 'Amelia Rose Okonkwo',
  age: 7,
  gender: 'Female',
  lastSeenAt: new Date('2025-03-14T16:45:00Z'),
  lastSeenPlace: 'Playground of Parc des Buttes-Chaumont, Paris 19e',
  description:
    'Shoulder-length curly black hair, brown eyes. Wearing a yellow raincoat, blue jeans and red boots. Carrying a small green backpack.',
  contactPhone: '+33 1 23 45 67 89',
  reportId: 'c0a80121-7ac0-4e1c-9d3b-2f6f1a9b5e11',
  publicUrl: 'https://alerts.example.org/cases/c0a80121-7ac0-4e1c-9d3b-2f6f1a9b5e11',
};

describe('renderPoster', () => {
  let work: string;
  let photo: Buffer;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'cases-poster-'));
    photo = await sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 200, g: 160, b: 120 } } })
      .jpeg()
      .toBuffer();
  });
  // KEEP_POSTERS=1 keeps the PDFs and PNGs for a visual check.
  afterAll(() => (process.env.KEEP_POSTERS ? undefined : rm(work, { recursive: true, force: true })));

  /** Writes the PDF, returns its page count, its text (whitespace collapsed) and the QR payload found on the rasterized page. */
  async function inspect(pdf: Buffer, name: string): Promise<{ pages: number; text: string; qr: string | null }> {
    const file = path.join(work, `${name}.pdf`);
    await writeFile(file, pdf);
    const info = (await run('pdfinfo', [file])).stdout;
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    // Wrapped lines are joined so assertions can look for whole phrases.
    const text = (await run('pdftotext', [file, '-'])).stdout.replace(/\s+/g, ' ');
    await run('pdftoppm', ['-png', '-r', '110', '-singlefile', file, path.join(work, name)]);
    const png = PNG.sync.read(await readFile(path.join(work, `${name}.png`)));
    const code = jsQR(
      new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
      png.width,
      png.height,
    );
    return { pages, text, qr: code?.data ?? null };
  }

  it('renders a one-page A4 PDF with the photo, the details and a scannable QR of the case URL', async () => {
    const pdf = await renderPoster({ ...BASE, photo });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { pages, text, qr } = await inspect(pdf, 'with-photo');
    expect(pages).toBe(1);
    expect(qr).toBe(BASE.publicUrl);
    expect(text).toContain('MISSING');
    expect(text).toContain('Amelia Rose Okonkwo');
    expect(text).toContain('7 years');
    expect(text).toContain('Female');
    expect(text).toContain('Friday, 14 March 2025 at 16:45 (UTC)');
    expect(text).toContain('Buttes-Chaumont');
    expect(text).toContain('yellow raincoat');
    expect(text).toContain('+33 1 23 45 67 89');
    expect(text).toContain(BASE.reportId);
    const size = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(
      (await run('pdfinfo', [path.join(work, 'with-photo.pdf')])).stdout,
    );
    expect([Math.round(Number(size?.[1])), Math.round(Number(size?.[2]))]).toEqual([595, 842]);
  });

  it('draws a placeholder without a photo and prints unknown fields plainly', async () => {
    const pdf = await renderPoster({ ...BASE, photo: null, age: null, gender: null, description: null });
    const { pages, text, qr } = await inspect(pdf, 'no-photo');
    expect(pages).toBe(1);
    expect(qr).toBe(BASE.publicUrl);
    expect(text).toContain('NO PHOTO');
    expect(text).toContain('Unknown');
    expect(text).toContain('Not specified');
  });

  it('keeps very long texts on one page, truncated with an ellipsis', async () => {
    const sentence = 'She was last seen wearing a striped jumper and carrying a blue umbrella with white dots. ';
    const pdf = await renderPoster({
      ...BASE,
      photo,
      childName: 'Maximiliana Wilhelmina Konstantinopoulou-Vanderberghe de la Fontaine-Saint-Exupéry'.repeat(2),
      lastSeenPlace: 'Near the north entrance of the central railway station, by the flower stall, '.repeat(4),
      description: sentence.repeat(60),
      contactPhone: '+44 20 7946 0000 (police incident line, ask for the duty officer) ext. 4455',
      publicUrl: `https://alerts.example.org/cases/${'long-path-segment/'.repeat(6)}c0a80121`,
    });
    const { pages, text, qr } = await inspect(pdf, 'long');
    expect(pages).toBe(1);
    expect(qr).toBe(`https://alerts.example.org/cases/${'long-path-segment/'.repeat(6)}c0a80121`);
    expect(text).toContain('…');
    expect(text).toContain('Maximiliana');
    // The description was cut: far fewer copies of the sentence than were given.
    expect(text.split('blue umbrella').length - 1).toBeLessThan(20);
  });

  it('replaces characters the built-in font cannot draw instead of printing garbage', async () => {
    const pdf = await renderPoster({ ...BASE, childName: 'Ștefan Łukasz Иван' });
    const { pages, text } = await inspect(pdf, 'non-latin');
    expect(pages).toBe(1);
    expect(text).toContain('Stefan ?ukasz ????');
  });

  it('prints any script with a Unicode font', async () => {
    const fonts = {
      regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
      bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
    };
    expect(existsSync(fonts.regular), 'this test needs the Debian package fonts-dejavu-core').toBe(true);
    const pdf = await renderPoster({ ...BASE, childName: 'Ștefan Łukasz Иван' }, { fonts, timeZone: 'Europe/Paris' });
    const { pages, text, qr } = await inspect(pdf, 'unicode');
    expect(pages).toBe(1);
    expect(qr).toBe(BASE.publicUrl);
    expect(text).toContain('Ștefan Łukasz Иван');
    expect(text).toContain('17:45 (Europe/Paris)');
  });

  it('refuses an undecodable photo and a missing URL', async () => {
    const error = await renderPoster({ ...BASE, photo: Buffer.from('not a jpeg') }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).code).toBe('INVALID_IMAGE');
    await expect(renderPoster({ ...BASE, publicUrl: ' ' })).rejects.toThrow(/publicUrl/);
  });
});
