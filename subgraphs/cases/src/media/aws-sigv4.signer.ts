import { createHash, createHmac } from 'node:crypto';

/** Credentials used to sign a request. */
export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary-credential token, sent and signed as x-amz-security-token when present. */
  sessionToken?: string;
}

/** The parts of an HTTP request that AWS Signature Version 4 covers. */
export interface SigV4Request {
  method: string;
  url: URL;
  /** Extra headers to send and sign (e.g. content-type). Host and x-amz-* are added by the signer. */
  headers?: Record<string, string>;
  /** Lowercase hex SHA-256 of the body (the empty-string hash for no body). */
  payloadSha256: string;
}

/** Where and when the signature applies. */
export interface SigV4Scope {
  credentials: SigV4Credentials;
  region: string;
  service: string;
  /** Signing time; defaults to now. */
  now?: Date;
}

/** Lowercase hex SHA-256 of `data`. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Signs a request with AWS Signature Version 4 (header form, as S3 expects).
 * Returns every header the caller must send: the caller's own headers, `host`, `x-amz-date`,
 * `x-amz-content-sha256`, `x-amz-security-token` (when given) and `authorization`. The path is
 * encoded once per segment, the S3 way (other AWS services double-encode; not supported here).
 */
export function signRequest(request: SigV4Request, scope: SigV4Scope): Record<string, string> {
  const amzDate = toAmzDate(scope.now ?? new Date());
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['host'] = request.url.host;
  headers['x-amz-date'] = amzDate;
  headers['x-amz-content-sha256'] = request.payloadSha256;
  if (scope.credentials.sessionToken) headers['x-amz-security-token'] = scope.credentials.sessionToken;

  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.url),
    canonicalQuery(request.url),
    names.map((name) => `${name}:${normalizeHeaderValue(headers[name]!)}\n`).join(''),
    signedHeaders,
    request.payloadSha256,
  ].join('\n');

  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = [day, scope.region, scope.service, 'aws4_request'].reduce<Buffer>(
    (key, part) => hmac(key, part),
    Buffer.from(`AWS4${scope.credentials.secretAccessKey}`, 'utf8'),
  );
  const signature = hmac(signingKey, stringToSign).toString('hex');

  headers['authorization'] =
    `AWS4-HMAC-SHA256 Credential=${scope.credentials.accessKeyId}/${credentialScope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/**
 * Percent-encodes per RFC 3986 as SigV4 requires: unreserved characters (A–Z a–z 0–9 - . _ ~)
 * stay, everything else becomes %XX of its UTF-8 bytes (uppercase hex); `/` too unless keepSlash.
 */
export function uriEncode(value: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(char) || (keepSlash && char === '/')) out += char;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function canonicalPath(url: URL): string {
  const path = url.pathname || '/';
  // URL keeps the caller's escapes; decode then re-encode so equivalent spellings sign identically.
  return path
    .split('/')
    .map((segment) => uriEncode(safeDecode(segment)))
    .join('/');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function canonicalQuery(url: URL): string {
  const pairs: Array<[string, string]> = [];
  url.searchParams.forEach((value, name) => pairs.push([uriEncode(name), uriEncode(value)]));
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function normalizeHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function toAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
