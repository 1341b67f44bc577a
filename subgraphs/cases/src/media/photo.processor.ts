import sharp from 'sharp';
import { MediaError } from './media.errors';

/** Limits and output settings for {@link processPhoto}; every field has a safe default. */
export interface PhotoProcessingOptions {
  /** Largest accepted upload in bytes. Default 8 MiB. */
  maxBytes?: number;
  /** Largest accepted width × height of the decoded image (decompression-bomb guard). Default 50 megapixels. */
  maxPixels?: number;
  /** The output fits within maxDimension × maxDimension; smaller images are never enlarged. Default 800. */
  maxDimension?: number;
  /** JPEG quality 1–100. Default 82. */
  quality?: number;
}

/** A cleaned photo, ready to store: always JPEG, oriented upright, without any metadata. */
export interface ProcessedPhoto {
  buffer: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  /** Format detected from the bytes of the upload (not the declared content type). */
  sourceFormat: SourcePhotoFormat;
}

/** Input formats recognised from content. */
export type SourcePhotoFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'heic';

/** Default upload size limit: 8 MiB. */
export const DEFAULT_MAX_PHOTO_BYTES = 8 * 1024 * 1024;
/** Default decoded-pixel limit: 50 megapixels (larger than any phone's default output). */
export const DEFAULT_MAX_PHOTO_PIXELS = 50_000_000;
/** Default bounding box of the output, in pixels. */
export const DEFAULT_PHOTO_DIMENSION = 800;
/** Default JPEG quality of the output. */
export const DEFAULT_PHOTO_QUALITY = 82;

/**
 * Whether the linked libvips can decode HEIC (HEVC-compressed HEIF). The prebuilt sharp binaries
 * ship libheif with AV1 only, for patent reasons, so this is usually false; a sharp built against
 * a system libvips with HEVC support makes it true.
 */
export function isHeicSupported(): boolean {
  const heif = (sharp.format as unknown as Record<string, { input?: { fileSuffix?: string[] } }>).heif;
  return Boolean(heif?.input?.fileSuffix?.includes('.heic'));
}

const DECLARED_TYPES: Record<string, SourcePhotoFormat> = {
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/pjpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/heic': 'heic',
  'image/heif': 'heic',
};

/** The content types {@link processPhoto} accepts on this server (HEIC only when decodable). */
export function supportedPhotoContentTypes(): string[] {
  const heic = isHeicSupported();
  return Object.keys(DECLARED_TYPES).filter((type) => heic || DECLARED_TYPES[type] !== 'heic');
}

const ACCEPTED_HINT = 'Please upload a JPEG, PNG, WebP or GIF photo.';

/**
 * Validates an uploaded photo by its content and turns it into a privacy-safe JPEG.
 *
 * Order of checks: declared content type (must be an image type we accept), byte size, real
 * format read from the bytes, decoded pixel count, then a full decode. The declared type only
 * gates the request; the detected format decides, so a PNG labelled image/jpeg is accepted but a
 * text file labelled image/png is not. The output is auto-rotated by EXIF orientation, stripped
 * of all metadata (EXIF incl. GPS, XMP, IPTC, ICC after conversion to sRGB), flattened onto white,
 * resized to fit within maxDimension² without enlargement, and encoded as JPEG. Animated images
 * keep their first frame.
 *
 * @throws MediaError UNSUPPORTED_MEDIA_TYPE (declared or detected format not accepted),
 *   PAYLOAD_TOO_LARGE (bytes or pixels over the limit), INVALID_IMAGE (not a decodable image).
 */
export async function processPhoto(
  input: Buffer,
  declaredContentType: string,
  options: PhotoProcessingOptions = {},
): Promise<ProcessedPhoto> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PHOTO_BYTES;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PHOTO_PIXELS;
  const maxDimension = options.maxDimension ?? DEFAULT_PHOTO_DIMENSION;
  const quality = options.quality ?? DEFAULT_PHOTO_QUALITY;

  checkDeclaredType(declaredContentType);
  if (input.length === 0) throw new MediaError('INVALID_IMAGE', 'The uploaded photo is empty.');
  if (input.length > maxBytes) {
    throw new MediaError(
      'PAYLOAD_TOO_LARGE',
      `The photo is ${formatBytes(input.length)}; the limit is ${formatBytes(maxBytes)}.`,
    );
  }

  const sourceFormat = await detectFormat(input);
  const pixels = sourceFormat.width * sourceFormat.height;
  if (pixels > maxPixels) {
    throw new MediaError(
      'PAYLOAD_TOO_LARGE',
      `The photo is ${sourceFormat.width}×${sourceFormat.height} pixels; the limit is ` +
        `${(maxPixels / 1_000_000).toFixed(0)} megapixels.`,
    );
  }

  try {
    const { data, info } = await sharp(input, {
      // Second line of defence: libvips itself refuses to decode beyond the limit.
      limitInputPixels: maxPixels,
      failOn: 'error',
      pages: 1,
    })
      .timeout({ seconds: 20 })
      .autoOrient()
      .resize({ width: maxDimension, height: maxDimension, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality })
      .toBuffer({ resolveWithObject: true });
    return {
      buffer: data,
      contentType: 'image/jpeg',
      width: info.width,
      height: info.height,
      sourceFormat: sourceFormat.format,
    };
  } catch (error) {
    throw new MediaError('INVALID_IMAGE', 'The photo could not be decoded; the file may be damaged or truncated.', {
      cause: error,
    });
  }
}

function checkDeclaredType(declaredContentType: string): void {
  const type = declaredContentType.split(';')[0]!.trim().toLowerCase();
  const format = DECLARED_TYPES[type];
  if (!format) {
    throw new MediaError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Files of type "${type || 'unknown'}" are not accepted. ${ACCEPTED_HINT}`,
    );
  }
  if (format === 'heic' && !isHeicSupported()) {
    throw new MediaError('UNSUPPORTED_MEDIA_TYPE', `HEIC photos cannot be read by this server. ${ACCEPTED_HINT}`);
  }
}

async function detectFormat(input: Buffer): Promise<{ format: SourcePhotoFormat; width: number; height: number }> {
  let metadata: sharp.Metadata;
  try {
    // Header parse only: cheap, and the pixel limit must not apply before we can report it.
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new MediaError('INVALID_IMAGE', `The uploaded file is not an image. ${ACCEPTED_HINT}`, { cause: error });
  }
  const format = toSourceFormat(metadata);
  if (!format) {
    throw new MediaError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Images in ${describeFormat(metadata)} format are not accepted. ${ACCEPTED_HINT}`,
    );
  }
  if (!metadata.width || !metadata.height) {
    throw new MediaError('INVALID_IMAGE', 'The photo has no readable dimensions.');
  }
  // Orientation 5–8 swaps axes, but the pixel count is the same either way.
  const pageHeight = metadata.pageHeight ?? metadata.height;
  return { format, width: metadata.width, height: pageHeight };
}

function toSourceFormat(metadata: sharp.Metadata): SourcePhotoFormat | null {
  switch (metadata.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'gif':
      return metadata.format;
    case 'heif':
      // AVIF shares the HEIF container; only HEVC-coded HEIF is a phone's HEIC photo.
      return metadata.compression === 'hevc' && isHeicSupported() ? 'heic' : null;
    default:
      return null;
  }
}

function describeFormat(metadata: sharp.Metadata): string {
  if (metadata.format === 'heif') return metadata.compression === 'av1' ? 'AVIF' : 'HEIC';
  return String(metadata.format ?? 'an unknown').toUpperCase();
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
