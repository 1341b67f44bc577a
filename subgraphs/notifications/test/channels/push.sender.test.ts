import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { generateVAPIDKeys } from 'web-push';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushSubscription } from '../../src/channels/channel.types';
import { PushSender, type PushConfig } from '../../src/channels/push.sender';
import {
  alertMessage,
  reminderMessage,
  startPeer,
  type PeerAnswer,
  type ProviderPeer,
  type RecordedRequest,
} from './provider.peer';

const vapid = generateVAPIDKeys();
const SUBJECT = 'mailto:ops@example.org';

/** A browser's side of a subscription: its ECDH key pair and auth secret. */
function browserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, auth: randomBytes(16) };
}

/** Decrypts an RFC 8291 aes128gcm body as the receiving browser would. */
function decryptPush(body: Buffer, ecdh: ECDH, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const idLength = body[20];
  const senderPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const shared = ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with a 0x02 delimiter followed by optional zero padding.
  return padded.subarray(0, padded.lastIndexOf(2)).toString('utf8');
}

/** Verifies the VAPID header (RFC 8292) and returns the JWT claims. */
function verifyVapid(req: RecordedRequest, audience: string): Record<string, unknown> {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(String(req.headers.authorization));
  if (!match) throw new Error(`bad Authorization header: ${req.headers.authorization}`);
  const [, jwt, k] = match;
  if (k !== vapid.publicKey) throw new Error('k is not the server VAPID public key');
  const point = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const [header, claims, signature] = jwt.split('.');
  const valid = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) throw new Error('VAPID JWT signature does not verify');
  const parsed = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (parsed.aud !== audience) throw new Error(`aud ${String(parsed.aud)} is not ${audience}`);
  return parsed;
}

describe('PushSender against a local push service', () => {
  let peer: ProviderPeer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  const config = (extra: Partial<PushConfig> = {}): PushConfig => ({
    vapidPublicKey: vapid.publicKey,
    vapidPrivateKey: vapid.privateKey,
    subject: SUBJECT,
    allowInsecureEndpoints: true,
    ...extra,
  });
  const subscription = (
    path: string,
    keys = browserKeys(),
  ): PushSubscription & { browser: ReturnType<typeof browserKeys> } => ({
    endpoint: `${(peer as ProviderPeer).baseUrl}${path}`,
    keys: { p256dh: keys.ecdh.getPublicKey().toString('base64url'), auth: keys.auth.toString('base64url') },
    browser: keys,
  });

  /** A push service that checks VAPID and encryption headers before answering by path. */
  async function pushService(answer: (req: RecordedRequest) => PeerAnswer) {
    peer = await startPeer((req) => {
      if (req.method !== 'POST') return { status: 405 };
      verifyVapid(req, (peer as ProviderPeer).baseUrl);
      if (req.headers['content-encoding'] !== 'aes128gcm')
        return { status: 400, text: 'content-encoding must be aes128gcm' };
      if (!req.headers.ttl) return { status: 400, text: 'TTL header required' };
      return answer(req);
    });
  }

  it('sends an encrypted payload with VAPID auth, TTL and high urgency for alerts', async () => {
    await pushService(() => ({ status: 201 }));
    const sub = subscription('/push/device-1');
    await new PushSender(config()).send({ pushSubscriptions: [sub] }, alertMessage);

    const [req] = (peer as ProviderPeer).requests;
    expect(req.path).toBe('/push/device-1');
    expect(req.headers.ttl).toBe('86400');
    expect(req.headers.urgency).toBe('high');
    expect(req.headers['content-type']).toBe('application/octet-stream');
    const claims = verifyVapid(req, (peer as ProviderPeer).baseUrl);
    expect(claims.sub).toBe(SUBJECT);
    expect(Number(claims.exp)).toBeGreaterThan(Date.now() / 1000);
    expect(JSON.parse(decryptPush(req.body, sub.browser.ecdh, sub.browser.auth))).toEqual({
      title: alertMessage.title,
      body: alertMessage.body,
      url: alertMessage.url,
      image: alertMessage.photoUrl,
      category: 'CASE_ALERT',
      tag: 'CASE_ALERT',
    });
  });

  it('uses normal urgency and the configured TTL for reminders', async () => {
    await pushService(() => ({ status: 201 }));
    await new PushSender(config({ ttlSeconds: { NORMAL: 3600 } })).send(
      { pushSubscriptions: [subscription('/p/2')] },
      reminderMessage,
    );
    const [req] = (peer as ProviderPeer).requests;
    expect(req.headers.urgency).toBe('normal');
    expect(req.headers.ttl).toBe('3600');
  });

  it('flags a 410 subscription as gone: permanent error and cleanup hook', async () => {
    await pushService(() => ({ status: 410, text: 'push subscription has unsubscribed or expired.' }));
    const gone: string[] = [];
    const sub = subscription('/p/expired');
    const sender = new PushSender(config({ onSubscriptionGone: (endpoint) => void gone.push(endpoint) }));
    const error = await sender.send({ pushSubscriptions: [sub] }, alertMessage).catch((e: unknown) => e);
    expect(error).toMatchObject({
      channel: 'PUSH',
      retryable: false,
      permanent: true,
      status: 410,
      goneEndpoints: [sub.endpoint],
    });
    expect(gone).toEqual([sub.endpoint]);
  });

  it('counts as sent when one device accepts, still reporting the gone one', async () => {
    await pushService((req) => (req.path === '/p/old' ? { status: 404 } : { status: 201 }));
    const gone: string[] = [];
    const old = subscription('/p/old');
    await new PushSender(config({ onSubscriptionGone: (endpoint) => void gone.push(endpoint) })).send(
      { pushSubscriptions: [old, subscription('/p/new')] },
      reminderMessage,
    );
    expect((peer as ProviderPeer).requests).toHaveLength(2);
    expect(gone).toEqual([old.endpoint]);
  });

  it('treats 429 from the push service as retryable with its Retry-After', async () => {
    await pushService(() => ({ status: 429, headers: { 'retry-after': '12' }, text: 'slow down' }));
    const error = await new PushSender(config())
      .send({ pushSubscriptions: [subscription('/p/3')] }, reminderMessage)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 12_000, status: 429 });
  });

  it('needs VAPID keys and a valid https subscription', () => {
    const sub = { endpoint: 'http://127.0.0.1:1/p', keys: { p256dh: 'x', auth: 'y' } };
    expect(new PushSender().unavailableReason({ pushSubscriptions: [sub] })).toMatch(/not configured/);
    const strict = new PushSender(config({ allowInsecureEndpoints: false }));
    expect(strict.unavailableReason({})).toMatch(/no push subscription/);
    expect(strict.unavailableReason({ pushSubscriptions: [sub] })).toMatch(/invalid/);
    expect(
      strict.unavailableReason({ pushSubscriptions: [{ ...sub, endpoint: 'https://push.example.net/p' }] }),
    ).toBeNull();
  });
});
