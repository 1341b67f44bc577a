import { DiskPhotoStorage } from './disk-photo.storage';
import { S3PhotoStorage, type S3PhotoStorageConfig } from './s3-photo.storage';

export { assertSafeKey, MAX_KEY_LENGTH } from './photo-key.guard';

/** A stored object as read back from a {@link PhotoStorage}. */
export interface StoredPhoto {
  body: Buffer;
  contentType: string;
}

/**
 * Where case photos live. Keys are relative, slash-separated paths checked by
 * assertSafeKey (photo-key.guard.ts) (every backend refuses other keys with PhotoStorageError INVALID_KEY).
 * `put` overwrites; `get` returns null for a missing key; `delete` of a missing key succeeds.
 * Backend failures throw PhotoStorageError STORAGE_UNAVAILABLE.
 */
export interface PhotoStorage {
  put(key: string, buffer: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredPhoto | null>;
  delete(key: string): Promise<void>;
}

/** Configuration of {@link createPhotoStorage}: a local directory or an S3-compatible bucket. */
export type PhotoStorageConfig = { kind: 'disk'; directory: string } | ({ kind: 's3' } & S3PhotoStorageConfig);

/** Builds the backend named by `config.kind`. Nothing is touched until the first call. */
export function createPhotoStorage(config: PhotoStorageConfig): PhotoStorage {
  switch (config.kind) {
    case 'disk':
      return new DiskPhotoStorage(config.directory);
    case 's3':
      return new S3PhotoStorage(config);
    default: {
      const unknown: never = config;
      throw new Error(`Unknown photo storage kind: ${(unknown as { kind: string }).kind}`);
    }
  }
}
