import { PhotoStorageError } from './media.errors';
import { assertSafeKey } from './photo-key.guard';
import type { PhotoStorage, StoredPhoto } from './photo.storage';
import { sha256Hex, signRequest, uriEncode, type SigV4Credentials } from './aws-sigv4.signer';

/** Connection settings of an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, R2, Garage…). */
export interface S3PhotoStorageConfig {
  bucket: string;
  /** Base URL of the service, e.g. `https://s3.eu-west-1.amazonaws.com` or `http://127.0.0.1:9000`. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** `endpoint/bucket/key` when true (default; what MinIO and most self-hosted services need), `bucket.endpoint/key` when false. */
  forcePathStyle?: boolean;
  /** Prepended to every key, e.g. `photos/`; must itself be a safe key prefix. */
  keyPrefix?: string;
  /** Per-request timeout in milliseconds. Default 15 000. */
  requestTimeoutMs?: number;
}

/**
 * Stores photos in an S3-compatible bucket through the S3 REST API (PutObject, GetObject,
 * DeleteObject), signing each request with AWS Signature V4. The body is signed too (its SHA-256
 * goes into x-amz-content-sha256), so a tampered upload is refused by the server.
 */
export class S3PhotoStorage implements PhotoStorage {
  private readonly endpoint: URL;
  private readonly credentials: SigV4Credentials;
  private readonly keyPrefix: string;

  /** @throws Error when the endpoint is not an http(s) URL or the bucket/prefix are malformed. */
  constructor(private readonly config: S3PhotoStorageConfig) {
    let endpoint: URL;
    try {
      endpoint = new URL(config.endpoint);
    } catch {
      throw new Error(`S3 endpoint "${config.endpoint}" is not a valid URL.`);
    }
    if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
      throw new Error(`S3 endpoint "${config.endpoint}" must use http or https.`);
    }
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(config.bucket)) {
      throw new Error(`S3 bucket name "${config.bucket}" is not valid (3–63 lowercase letters, digits, dots, dashes).`);
    }
    this.keyPrefix = config.keyPrefix ?? '';
    if (this.keyPrefix) assertSafeKey(`${this.keyPrefix}x`);
    this.endpoint = endpoint;
    this.credentials = {
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      sessionToken: config.sessionToken,
    };
  }

  /** PutObject; overwrites an existing object. */
  async put(key: string, buffer: Buffer, contentType: string): Promise<void> {
    const response = await this.send('PUT', key, buffer, { 'content-type': contentType });
    if (!response.ok) throw await this.failure('PUT', key, response);
    await response.arrayBuffer();
  }

  /** GetObject; null on 404 NoSuchKey; a 404 NoSuchBucket throws STORAGE_UNAVAILABLE. */
  async get(key: string): Promise<StoredPhoto | null> {
    const response = await this.send('GET', key);
    if (response.status === 404) {
      const text = await response.text();
      // A missing bucket is a configuration error, not a missing photo.
      if (text.includes('<Code>NoSuchBucket</Code>')) {
        throw new PhotoStorageError('STORAGE_UNAVAILABLE', `S3 bucket "${this.config.bucket}" does not exist.`, {
          status: 404,
        });
      }
      return null;
    }
    if (!response.ok) throw await this.failure('GET', key, response);
    const body = Buffer.from(await response.arrayBuffer());
    return { body, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
  }

  /** DeleteObject; a missing object is not an error (S3 answers 204 either way, some servers 404). */
  async delete(key: string): Promise<void> {
    const response = await this.send('DELETE', key);
    await response.arrayBuffer();
    if (!response.ok && response.status !== 404) throw await this.failure('DELETE', key, response);
  }

  /** The URL of an object, encoded the way it is signed. */
  objectUrl(key: string): URL {
    assertSafeKey(key);
    const objectPath = uriEncode(`${this.keyPrefix}${key}`, true);
    const base = this.endpoint.pathname.replace(/\/+$/, '');
    const url = new URL(this.endpoint.href);
    if (this.config.forcePathStyle ?? true) {
      url.pathname = `${base}/${this.config.bucket}/${objectPath}`;
    } else {
      url.hostname = `${this.config.bucket}.${url.hostname}`;
      url.pathname = `${base}/${objectPath}`;
    }
    url.search = '';
    return url;
  }

  private async send(
    method: string,
    key: string,
    body?: Buffer,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const url = this.objectUrl(key);
    const signed = signRequest(
      { method, url, headers, payloadSha256: sha256Hex(body ?? '') },
      { credentials: this.credentials, region: this.config.region, service: 's3' },
    );
    // fetch derives Host from the URL and refuses to have it set; it is still part of the signature.
    delete signed['host'];
    try {
      return await fetch(url, {
        method,
        headers: signed,
        // A copy gives fetch the ArrayBuffer-backed view its types ask for (photos are small).
        body: body ? new Uint8Array(body) : undefined,
        signal: AbortSignal.timeout(this.config.requestTimeoutMs ?? 15_000),
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : describeNetworkError(error);
      throw new PhotoStorageError('STORAGE_UNAVAILABLE', `S3 ${method} of "${key}" failed: ${reason}.`, {
        cause: error,
      });
    }
  }

  private async failure(method: string, key: string, response: Response): Promise<PhotoStorageError> {
    const text = await response.text().catch(() => '');
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
    const detail = [code, message].filter(Boolean).join(': ') || response.statusText;
    return new PhotoStorageError(
      'STORAGE_UNAVAILABLE',
      `S3 ${method} of "${key}" in bucket "${this.config.bucket}" failed with HTTP ${response.status}${detail ? ` (${detail})` : ''}.`,
      { status: response.status },
    );
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
