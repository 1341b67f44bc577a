import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MediaError } from '../../src/media/media.errors';
import { isHeicSupported, processPhoto, supportedPhotoContentTypes } from '../../src/media/photo.processor';

function solid(width: number, height: number): sharp.Sharp {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 90, b: 160 } } });
}

async function refusal(promise: Promise<unknown>): Promise<MediaError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MediaError);
  return error as MediaError;
}

/** Tag ids of IFD0 of a raw EXIF block (as sharp returns it: "Exif\0\0" + TIFF). */
function ifd0Tags(exif: Buffer): number[] {
  const tiff = exif.subarray(6);
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  const count = u16(ifd);
  return Array.from({ length: count }, (_, i) => u16(ifd + 2 + i * 12));
}
const GPS_IFD_POINTER = 0x8825;

/** Rewrites the IHDR of a PNG with other dimensions and a matching CRC. */
function withPngSize(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  expect(out.toString('latin1', 12, 16)).toBe('IHDR');
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('processPhoto', () => {
  it('turns a large PNG into a JPEG within 800×800 keeping the aspect ratio', async () => {
    const png = await solid(2000, 1500).png().toBuffer();
    const out = await processPhoto(png, 'image/png');
    expect(out.contentType).toBe('image/jpeg');
    expect(out.sourceFormat).toBe('png');
    expect([out.width, out.height]).toEqual([800, 600]);
    const meta = await sharp(out.buffer).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([800, 600]);
  });

  it('fits a tall JPEG by its height', async () => {
    const jpeg = await solid(1500, 2000).jpeg().toBuffer();
    const out = await processPhoto(jpeg, 'image/jpeg; charset=binary');
    expect([out.width, out.height]).toEqual([600, 800]);
  });

  it('does not enlarge a small image', async () => {
    const webp = await solid(320, 240).webp().toBuffer();
    const out = await processPhoto(webp, 'image/webp');
    expect(out.sourceFormat).toBe('webp');
    expect([out.width, out.height]).toEqual([320, 240]);
    expect((await sharp(out.buffer).metadata()).format).toBe('jpeg');
  });

  it('accepts a GIF and flattens transparency onto white', async () => {
    const gif = await sharp({
      create: { width: 50, height: 40, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .gif()
      .toBuffer();
    const out = await processPhoto(gif, 'image/gif');
    const { data } = await sharp(out.buffer).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(240);
  });

  it('rotates by EXIF orientation and strips all metadata including GPS', async () => {
    const input = await solid(400, 200)
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExif({
        IFD0: { Make: 'TestCam', Model: 'Pocket 1' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '48/1 51/1 2400/100',
          GPSLongitudeRef: 'E',
          GPSLongitude: '2/1 21/1 300/100',
        },
      })
      .toBuffer();
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(ifd0Tags(before.exif!)).toContain(GPS_IFD_POINTER);

    const out = await processPhoto(input, 'image/jpeg');
    const after = await sharp(out.buffer).metadata();
    // Orientation 6 means "rotate 90° clockwise to display": the stored 400×200 becomes 200×400.
    expect([after.width, after.height]).toEqual([200, 400]);
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(out.buffer.includes(Buffer.from('TestCam'))).toBe(false);
  });

  it('refuses a text file declared as image/png with INVALID_IMAGE', async () => {
    const error = await refusal(processPhoto(Buffer.from('hello, I am not a picture\n'.repeat(20)), 'image/png'));
    expect(error.code).toBe('INVALID_IMAGE');
    expect(error.message).toMatch(/not an image/);
  });

  it('refuses random bytes declared as image/jpeg with INVALID_IMAGE', async () => {
    const error = await refusal(processPhoto(randomBytes(4096), 'image/jpeg'));
    expect(error.code).toBe('INVALID_IMAGE');
  });

  it('refuses a truncated JPEG with INVALID_IMAGE', async () => {
    const jpeg = await sharp({
      create: {
        width: 600,
        height: 600,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .jpeg()
      .toBuffer();
    const error = await refusal(processPhoto(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'image/jpeg'));
    expect(error.code).toBe('INVALID_IMAGE');
  });

  it('refuses non-image declared types and image formats it does not accept', async () => {
    const png = await solid(10, 10).png().toBuffer();
    expect((await refusal(processPhoto(png, 'text/plain'))).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const tiff = await solid(10, 10).tiff().toBuffer();
    const error = await refusal(processPhoto(tiff, 'image/png'));
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toMatch(/TIFF/);
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    );
    expect((await refusal(processPhoto(svg, 'image/png'))).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('handles HEIC according to what this sharp build can decode', async () => {
    if (isHeicSupported()) {
      expect(supportedPhotoContentTypes()).toContain('image/heic');
    } else {
      expect(supportedPhotoContentTypes()).not.toContain('image/heic');
      const error = await refusal(processPhoto(Buffer.from('irrelevant'), 'image/heic'));
      expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(error.message).toMatch(/HEIC/);
    }
  });

  it('refuses a buffer over the byte limit with PAYLOAD_TOO_LARGE', async () => {
    const png = await solid(200, 200).png().toBuffer();
    const error = await refusal(processPhoto(png, 'image/png', { maxBytes: png.length - 1 }));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    const big = Buffer.concat([png, Buffer.alloc(8 * 1024 * 1024)]);
    expect((await refusal(processPhoto(big, 'image/png'))).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a decompression bomb by its pixel count before decoding', async () => {
    // A real 1×1 PNG whose header claims 60000×60000: tiny on the wire, 10 GB if decoded.
    const bomb = withPngSize(await solid(1, 1).png().toBuffer(), 60_000, 60_000);
    expect((await sharp(bomb, { limitInputPixels: false }).metadata()).width).toBe(60_000);
    const error = await refusal(processPhoto(bomb, 'image/png'));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toMatch(/60000×60000/);
  });

  it('applies a configured pixel limit', async () => {
    const png = await solid(1000, 1000).png().toBuffer();
    expect((await refusal(processPhoto(png, 'image/png', { maxPixels: 999_999 }))).code).toBe('PAYLOAD_TOO_LARGE');
    expect((await processPhoto(png, 'image/png', { maxPixels: 1_000_000 })).width).toBe(800);
  });

  it('refuses an empty upload', async () => {
    expect((await refusal(processPhoto(Buffer.alloc(0), 'image/png'))).code).toBe('INVALID_IMAGE');
  });
});
