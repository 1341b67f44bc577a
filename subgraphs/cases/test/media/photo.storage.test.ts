import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/media/aws-sigv4.signer';
import { DiskPhotoStorage } from '../../src/media/disk-photo.storage';
import { PhotoStorageError } from '../../src/media/media.errors';
import { createPhotoStorage, type PhotoStorage } from '../../src/media/photo.storage';
import { S3PhotoStorage } from '../../src/media/s3-photo.storage';
import { startFakeS3, type FakeS3 } from './s3.fake-server';

const HOSTILE_KEYS = [
  '../escape.jpg',
  'cases/../../escape.jpg',
  '/etc/passwd',
  'a\\..\\b',
  '.hidden',
  'a//b',
  '',
  'a/./b',
  'a/',
  '%2e%2e/x',
  'x'.repeat(600),
  'é.jpg',
  '-rf',
];

async function storageError(promise: Promise<unknown>): Promise<PhotoStorageError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PhotoStorageError);
  return error as PhotoStorageError;
}

describe('DiskPhotoStorage', () => {
  let parent: string;
  let directory: string;
  let storage: PhotoStorage;

  beforeAll(async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'cases-media-'));
    directory = path.join(parent, 'store');
    storage = createPhotoStorage({ kind: 'disk', directory });
  });
  afterAll(() => rm(parent, { recursive: true, force: true }));

  it('is chosen by createPhotoStorage', () => {
    expect(storage).toBeInstanceOf(DiskPhotoStorage);
  });

  it('stores, reads back, overwrites and deletes a photo', async () => {
    const key = 'cases/3f1c2a/photo-1.jpg';
    expect(await storage.get(key)).toBeNull();
    await storage.put(key, Buffer.from('first'), 'image/jpeg');
    expect(await storage.get(key)).toEqual({ body: Buffer.from('first'), contentType: 'image/jpeg' });
    await storage.put(key, Buffer.from('second'), 'image/png');
    expect(await storage.get(key)).toEqual({ body: Buffer.from('second'), contentType: 'image/png' });
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
    await storage.delete(key);
    // No temporary files are left behind.
    expect(await readdir(path.join(directory, 'objects', 'cases', '3f1c2a'))).toEqual([]);
  });

  it('refuses keys that could leave the directory and writes nothing', async () => {
    for (const key of HOSTILE_KEYS) {
      expect((await storageError(storage.put(key, Buffer.from('x'), 'image/jpeg'))).code).toBe('INVALID_KEY');
      expect((await storageError(storage.get(key))).code).toBe('INVALID_KEY');
      expect((await storageError(storage.delete(key))).code).toBe('INVALID_KEY');
    }
    expect((await readdir(parent)).sort()).toEqual(['store']);
  });

  it('explains a key that collides with a folder', async () => {
    await storage.put('collide', Buffer.from('x'), 'image/jpeg');
    const error = await storageError(storage.put('collide/inner.jpg', Buffer.from('y'), 'image/jpeg'));
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toMatch(/collides/);
  });
});

describe('signRequest', () => {
  it('reproduces the GET Object example of the AWS Signature V4 documentation', () => {
    const headers = signRequest(
      {
        method: 'GET',
        url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
        headers: { Range: 'bytes=0-9' },
        payloadSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
      {
        credentials: {
          accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        },
        region: 'us-east-1',
        service: 's3',
        now: new Date('2013-05-24T00:00:00Z'),
      },
    );
    expect(headers['authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});

describe('S3PhotoStorage against a signature-checking S3 server', () => {
  const keys = {
    bucket: 'case-photos',
    region: 'eu-central-1',
    accessKeyId: 'AKIDTESTCASES',
    secretAccessKey: 'tEsT/sEcReT+kEy',
  };
  let s3: FakeS3;
  let storage: PhotoStorage;

  beforeAll(async () => {
    s3 = await startFakeS3(keys);
    storage = createPhotoStorage({
      kind: 's3',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      keyPrefix: 'photos/',
      ...keys,
    });
  });
  afterAll(() => s3.close());

  it('is chosen by createPhotoStorage', () => {
    expect(storage).toBeInstanceOf(S3PhotoStorage);
  });

  it('puts, gets and deletes objects with verified signatures; a missing object is null', async () => {
    const body = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    const key = 'cases/42/photo_v1.jpg';
    await storage.put(key, body, 'image/jpeg');
    expect(s3.objects.get('photos/cases/42/photo_v1.jpg')?.body.equals(body)).toBe(true);
    const read = await storage.get(key);
    expect(read?.contentType).toBe('image/jpeg');
    expect(read?.body.equals(body)).toBe(true);
    await storage.delete(key);
    expect(s3.objects.size).toBe(0);
    expect(await storage.get(key)).toBeNull();
    await storage.delete(key);
    expect(s3.rejected).toEqual([]);
    expect(s3.verified).toBe(5);
  });

  it('reports a refused signature as STORAGE_UNAVAILABLE with the S3 error code', async () => {
    const wrong = createPhotoStorage({ kind: 's3', endpoint: s3.endpoint, ...keys, secretAccessKey: 'not-the-secret' });
    const error = await storageError(wrong.put('a.jpg', Buffer.from('x'), 'image/jpeg'));
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/SignatureDoesNotMatch/);
    expect(s3.rejected).toEqual(['signature does not match']);
    expect(s3.objects.size).toBe(0);
  });

  it('treats a missing bucket as a configuration error, not a missing photo', async () => {
    const elsewhere = createPhotoStorage({ kind: 's3', endpoint: s3.endpoint, ...keys, bucket: 'no-such-bucket' });
    const error = await storageError(elsewhere.get('a.jpg'));
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toMatch(/no-such-bucket/);
  });

  it('refuses unsafe keys before any request', async () => {
    const before = s3.verified + s3.rejected.length;
    for (const key of HOSTILE_KEYS) {
      expect((await storageError(storage.get(key))).code).toBe('INVALID_KEY');
    }
    expect(s3.verified + s3.rejected.length).toBe(before);
  });

  it('reports an unreachable endpoint as STORAGE_UNAVAILABLE', async () => {
    const closed = await startFakeS3(keys);
    await closed.close();
    const offline = createPhotoStorage({ kind: 's3', endpoint: closed.endpoint, ...keys });
    const error = await storageError(offline.get('a.jpg'));
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('builds path-style and virtual-hosted URLs', () => {
    const pathStyle = new S3PhotoStorage({ ...keys, endpoint: 'https://s3.example.org' });
    expect(pathStyle.objectUrl('cases/1/a.jpg').href).toBe('https://s3.example.org/case-photos/cases/1/a.jpg');
    const hosted = new S3PhotoStorage({ ...keys, endpoint: 'https://s3.example.org', forcePathStyle: false });
    expect(hosted.objectUrl('cases/1/a.jpg').href).toBe('https://case-photos.s3.example.org/cases/1/a.jpg');
    expect(() => new S3PhotoStorage({ ...keys, endpoint: 'ftp://x' })).toThrow(/http or https/);
  });
});
