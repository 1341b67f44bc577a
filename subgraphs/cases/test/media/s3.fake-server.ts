/**
 * A small S3-compatible server for tests: PutObject / GetObject / DeleteObject on path-style URLs,
 * objects kept in memory, and every request's AWS Signature V4 recomputed here from what arrived
 * on the wire (independently of the client's signer) and refused with 403 when it does not match.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeS3 {
  endpoint: string;
  objects: Map<string, { body: Buffer; contentType: string }>;
  /** Requests whose signature was recomputed and matched. */
  verified: number;
  /** Requests refused, with the reason. */
  rejected: string[];
  close(): Promise<void>;
}

export async function startFakeS3(options: {
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}): Promise<FakeS3> {
  const state: FakeS3 = { endpoint: '', objects: new Map(), verified: 0, rejected: [], close: async () => {} };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const problem = verify(req, body, options);
      if (problem) {
        state.rejected.push(problem);
        return reply(res, 403, 'SignatureDoesNotMatch', problem);
      }
      state.verified++;
      const rawPath = (req.url ?? '/').split('?')[0]!;
      const [, bucket, ...rest] = rawPath.split('/').map((part) => decodeURIComponent(part));
      if (bucket !== options.bucket) return reply(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
      const key = rest.join('/');
      switch (req.method) {
        case 'PUT':
          state.objects.set(key, { body, contentType: req.headers['content-type'] ?? 'binary/octet-stream' });
          res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
          return;
        case 'GET': {
          const object = state.objects.get(key);
          if (!object) return reply(res, 404, 'NoSuchKey', 'The specified key does not exist.');
          res
            .writeHead(200, { 'content-type': object.contentType, 'content-length': object.body.length })
            .end(object.body);
          return;
        }
        case 'DELETE':
          state.objects.delete(key);
          res.writeHead(204).end();
          return;
        default:
          reply(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

function reply(res: ServerResponse, status: number, code: string, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

/** Returns why the request's signature is wrong, or null when it is right. */
function verify(
  req: IncomingMessage,
  body: Buffer,
  keys: { region: string; accessKeyId: string; secretAccessKey: string },
): string | null {
  const auth = req.headers.authorization ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!match) return `malformed authorization header: ${auth}`;
  const [, accessKey, day, region, signedHeaderList, signature] = match as unknown as string[];
  if (accessKey !== keys.accessKeyId) return 'unknown access key';
  if (region !== keys.region) return `wrong region ${region}`;
  const signedHeaders = signedHeaderList!.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!signedHeaders.includes(required)) return `${required} is not signed`;
  }
  const amzDate = String(req.headers['x-amz-date']);
  if (!amzDate.startsWith(day!)) return 'x-amz-date does not match the credential scope';
  const sentAt = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!(Math.abs(Date.now() - sentAt) < 15 * 60_000)) return 'request time too skewed';
  const bodyHash = createHash('sha256').update(body).digest('hex');
  if (req.headers['x-amz-content-sha256'] !== bodyHash) return 'x-amz-content-sha256 does not match the body';

  const [rawPath, rawQuery = ''] = (req.url ?? '/').split('?');
  const canonicalUri = rawPath!
    .split('/')
    .map((segment) => rfc3986(decodeURIComponent(segment)))
    .join('/');
  const canonicalQuery = rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) =>
      pair
        .split('=')
        .map((part) => rfc3986(decodeURIComponent(part ?? '')))
        .join('='),
    )
    .sort()
    .join('&');
  const canonicalHeaders = signedHeaders
    .map((name) => {
      const value = req.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().split(/\s+/).join(' ')}\n`;
    })
    .join('');
  const canonical = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaderList, bodyHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  let key: Buffer = createHmac('sha256', 'AWS4' + keys.secretAccessKey)
    .update(day!)
    .digest();
  key = createHmac('sha256', key).update(region!).digest();
  key = createHmac('sha256', key).update('s3').digest();
  key = createHmac('sha256', key).update('aws4_request').digest();
  const expected = createHmac('sha256', key).update(toSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature!, 'hex'))) return 'signature does not match';
  return null;
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
