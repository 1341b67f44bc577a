import { PhotoStorageError } from './media.errors';

/** Longest accepted key, in characters (S3 allows 1024 bytes; file systems are stricter per segment). */
export const MAX_KEY_LENGTH = 512;
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/**
 * Throws PhotoStorageError INVALID_KEY unless `key` is 1–512 characters of segments separated by
 * single slashes, each segment 1–128 characters of [A-Za-z0-9._-] not starting with a dot or
 * dash. This rules out absolute paths, `.`/`..`, backslashes, empty segments, hidden files and
 * anything needing escaping, so a key maps to the same safe path on every backend.
 */
export function assertSafeKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new PhotoStorageError('INVALID_KEY', `Storage key must be 1–${MAX_KEY_LENGTH} characters long.`);
  }
  for (const segment of key.split('/')) {
    if (!SEGMENT.test(segment)) {
      throw new PhotoStorageError(
        'INVALID_KEY',
        `Storage key "${key.slice(0, 80)}" is not allowed: use slash-separated segments of letters, digits, ".", "_" and "-" (no leading dot or dash).`,
      );
    }
  }
}
