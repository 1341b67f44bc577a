import { afterEach, describe, expect, it } from 'vitest';
import { SmsSender, type SmsConfig } from '../../src/channels/sms.sender';
import { alertMessage, reminderMessage, startPeer, type PeerAnswer, type ProviderPeer } from './provider.peer';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'auth-token-xyz';

describe('SmsSender against a local Twilio API', () => {
  let peer: ProviderPeer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  /** Checks method, path, basic auth and form encoding the way Twilio does, then answers. */
  async function twilio(answer: () => PeerAnswer, config: Partial<SmsConfig> = {}) {
    peer = await startPeer((req) => {
      if (req.method !== 'POST' || req.path !== `/2010-04-01/Accounts/${SID}/Messages.json`) {
        return { status: 404, json: { code: 20404, message: 'The requested resource was not found', status: 404 } };
      }
      const expected = `Basic ${Buffer.from(`${config.apiKeySid ?? SID}:${config.apiKeySecret ?? TOKEN}`).toString('base64')}`;
      if (req.headers.authorization !== expected)
        return { status: 401, json: { code: 20003, message: 'Authenticate', status: 401 } };
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
        return { status: 400, json: { code: 21601, message: 'Invalid content type', status: 400 } };
      }
      return answer();
    });
    return new SmsSender({ accountSid: SID, authToken: TOKEN, from: '+15005550006', baseUrl: peer.baseUrl, ...config });
  }
  const created = (): PeerAnswer => ({ status: 201, json: { sid: 'SM123', status: 'queued' } });
  const form = () => new URLSearchParams((peer as ProviderPeer).requests[0].body.toString('utf8'));

  it('posts To, From and Body form-encoded with basic auth', async () => {
    const sender = await twilio(created);
    await sender.send({ phone: '+33612345678' }, alertMessage);
    const sent = form();
    expect(sent.get('To')).toBe('+33612345678');
    expect(sent.get('From')).toBe('+15005550006');
    expect(sent.get('Body')).toBe(`${alertMessage.title}\n${alertMessage.body}\n${alertMessage.url}`);
    expect(sent.has('MessagingServiceSid')).toBe(false);
  });

  it('uses a Messaging Service and API key credentials when configured', async () => {
    const sender = await twilio(created, {
      messagingServiceSid: 'MG42',
      apiKeySid: 'SK99',
      apiKeySecret: 'key-secret',
    });
    await sender.send({ phone: '+33612345678' }, reminderMessage);
    expect(form().get('MessagingServiceSid')).toBe('MG42');
    expect(form().has('From')).toBe(false);
  });

  it('quotes Twilio error JSON and treats an invalid number as permanent', async () => {
    const sender = await twilio(() => ({
      status: 400,
      json: {
        code: 21211,
        message: "The 'To' number +33600000000 is not a valid phone number.",
        more_info: 'https://www.twilio.com/docs/errors/21211',
        status: 400,
      },
    }));
    const error = await sender.send({ phone: '+33600000000' }, reminderMessage).catch((e: unknown) => e);
    expect(error).toMatchObject({
      channel: 'SMS',
      retryable: false,
      permanent: true,
      status: 400,
      providerCode: 21211,
    });
    expect((error as Error).message).toBe(
      "Twilio refused the number (400, code 21211): The 'To' number +33600000000 is not a valid phone number.",
    );
  });

  it('treats 429 (code 20429) as retryable, honouring Retry-After', async () => {
    const sender = await twilio(() => ({
      status: 429,
      headers: { 'retry-after': '3' },
      json: { code: 20429, message: 'Too Many Requests', status: 429 },
    }));
    const error = await sender.send({ phone: '+33612345678' }, reminderMessage).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 3000, providerCode: 20429 });
  });

  it('treats wrong credentials as permanent', async () => {
    const sender = await twilio(created);
    const wrong = new SmsSender({
      accountSid: SID,
      authToken: 'nope',
      from: '+15005550006',
      baseUrl: (peer as ProviderPeer).baseUrl,
    });
    await expect(wrong.send({ phone: '+33612345678' }, reminderMessage)).rejects.toMatchObject({
      permanent: true,
      status: 401,
      providerCode: 20003,
    });
    expect(sender.isConfigured()).toBe(true);
  });

  it('needs an account, a sender and an E.164 number', () => {
    expect(new SmsSender().unavailableReason({ phone: '+33612345678' })).toMatch(/not configured/);
    expect(new SmsSender({ accountSid: SID, authToken: TOKEN }).isConfigured()).toBe(false);
    const sender = new SmsSender({ accountSid: SID, authToken: TOKEN, from: '+15005550006' });
    expect(sender.unavailableReason({})).toMatch(/no phone number/);
    expect(sender.unavailableReason({ phone: '06 12 34 56 78' })).toMatch(/international format/);
  });
});
