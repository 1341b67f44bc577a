import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PhotoStorageError } from './media.errors';
import { assertSafeKey } from './photo-key.guard';
import type { PhotoStorage, StoredPhoto } from './photo.storage';

interface MetaRecord {
  contentType: string;
  size: number;
  storedAt: string;
}

/**
 * Stores photos under a local directory: the bytes at `<directory>/objects/<key>` (so files stay
 * viewable) and the content type at `<directory>/meta/<key>.json`. Writes go to a temporary file
 * and are renamed into place, so a reader never sees a half-written photo. Keys are validated by
 * assertSafeKey and the resolved path is checked to stay inside the directory.
 */
export class DiskPhotoStorage implements PhotoStorage {
  private readonly root: string;

  /** @param directory created on first write if missing. */
  constructor(directory: string) {
    this.root = path.resolve(directory);
  }

  /** Writes (or replaces) the object; the data lands before its metadata makes it visible. */
  async put(key: string, buffer: Buffer, contentType: string): Promise<void> {
    const { objectPath, metaPath } = this.paths(key);
    const meta: MetaRecord = { contentType, size: buffer.length, storedAt: new Date().toISOString() };
    await this.guard(key, 'store', async () => {
      await writeAtomically(objectPath, buffer);
      await writeAtomically(metaPath, Buffer.from(JSON.stringify(meta)));
    });
  }

  /** Reads the object; null when there is none (or only a half-deleted remnant). */
  async get(key: string): Promise<StoredPhoto | null> {
    const { objectPath, metaPath } = this.paths(key);
    return this.guard(key, 'read', async () => {
      const metaText = await readIfExists(metaPath);
      if (metaText === null) return null;
      const body = await readIfExists(objectPath);
      if (body === null) return null;
      const meta = JSON.parse(metaText.toString('utf8')) as MetaRecord;
      return { body, contentType: meta.contentType };
    });
  }

  /** Removes the object; succeeds when it does not exist. Metadata goes first so get sees null at once. */
  async delete(key: string): Promise<void> {
    const { objectPath, metaPath } = this.paths(key);
    await this.guard(key, 'delete', async () => {
      await rm(metaPath, { force: true });
      await rm(objectPath, { force: true });
    });
  }

  private paths(key: string): { objectPath: string; metaPath: string } {
    assertSafeKey(key);
    const objectsRoot = path.join(this.root, 'objects');
    const metaRoot = path.join(this.root, 'meta');
    const objectPath = path.resolve(objectsRoot, key);
    const metaPath = path.resolve(metaRoot, `${key}.json`);
    // assertSafeKey already excludes traversal; this re-check keeps the invariant local to the file system code.
    if (!isInside(objectsRoot, objectPath) || !isInside(metaRoot, metaPath)) {
      throw new PhotoStorageError('INVALID_KEY', `Storage key "${key}" escapes the storage directory.`);
    }
    return { objectPath, metaPath };
  }

  private async guard<T>(key: string, action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof PhotoStorageError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST'
          ? 'the key collides with another key used as a folder'
          : (error as Error).message;
      throw new PhotoStorageError('STORAGE_UNAVAILABLE', `Could not ${action} photo "${key}" on disk: ${reason}.`, {
        cause: error,
      });
    }
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

async function writeAtomically(target: string, data: Buffer): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}
