import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelSender } from '../../src/channels/channel.types';
import { backoffDelay, deliver, type DeliveryPolicy } from '../../src/channels/delivery.runner';
import { DiscordSender } from '../../src/channels/discord.sender';
import { InAppSender } from '../../src/channels/in-app.sender';
import { SmsSender } from '../../src/channels/sms.sender';
import { TelegramSender } from '../../src/channels/telegram.sender';
import { alertMessage, closedPort, reminderMessage, startPeer, type ProviderPeer } from './provider.peer';

/** A policy whose waits are recorded instead of slept, with a fixed "random" draw. */
function recordingPolicy(extra: DeliveryPolicy = {}) {
  const sleeps: number[] = [];
  const policy: DeliveryPolicy = {
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
    now: () => new Date('2025-05-01T12:00:00Z'),
    ...extra,
  };
  return { policy, sleeps };
}

describe('backoffDelay', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles the jitter window per attempt and caps it at maxDelayMs', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, top))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('draws uniformly below the window (full jitter)', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.25)).toBe(100);
    expect(backoffDelay(1, {}, () => 0.5)).toBe(500);
  });
});

describe('deliver', () => {
  let peer: ProviderPeer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  it('retries a provider answering 500 twice, then succeeds on attempt 3', async () => {
    peer = await startPeer((_req, index) =>
      index < 2
        ? { status: 500, json: { ok: false, error_code: 500, description: 'Internal Server Error' } }
        : { status: 200, json: { ok: true, result: {} } },
    );
    const sender = new TelegramSender({ botToken: '1:x', baseUrl: peer.baseUrl });
    const { policy, sleeps } = recordingPolicy();
    const result = await deliver(sender, { telegramChatId: '7' }, reminderMessage, policy);
    expect(result).toEqual({ status: 'SENT', attempts: 3, sentAt: new Date('2025-05-01T12:00:00Z') });
    expect(peer.requests).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('gives up after maxAttempts when the provider is down', async () => {
    const sender = new TelegramSender({ botToken: '1:x', baseUrl: `http://127.0.0.1:${await closedPort()}` });
    const { policy, sleeps } = recordingPolicy();
    const result = await deliver(sender, { telegramChatId: '7' }, reminderMessage, policy);
    expect(result.status).toBe('FAILED');
    expect(result.attempts).toBe(5);
    expect(result.lastError).toMatch(/^Telegram sendMessage unreachable: ECONNREFUSED/);
    expect(result.error?.retryable).toBe(true);
    expect(sleeps).toEqual([50, 100, 200, 400]);
  });

  it('stops at once on a permanent 400', async () => {
    peer = await startPeer(() => ({ status: 400, json: { code: 21211, message: 'Invalid To number', status: 400 } }));
    const sender = new SmsSender({ accountSid: 'AC1', authToken: 't', from: '+15005550006', baseUrl: peer.baseUrl });
    const { policy, sleeps } = recordingPolicy();
    const result = await deliver(sender, { phone: '+33612345678' }, alertMessage, policy);
    expect(result).toMatchObject({ status: 'FAILED', attempts: 1, error: { permanent: true, status: 400 } });
    expect(result.lastError).toContain('Invalid To number');
    expect(peer.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('waits the retry_after a 429 asks for, then sends', async () => {
    peer = await startPeer((_req, index) =>
      index === 0
        ? { status: 429, json: { message: 'You are being rate limited.', retry_after: 2.5, global: false } }
        : { status: 204 },
    );
    const sender = new DiscordSender({ webhookUrl: `${peer.baseUrl}/api/webhooks/1/t` });
    const { policy, sleeps } = recordingPolicy();
    const result = await deliver(sender, {}, alertMessage, policy);
    expect(result).toMatchObject({ status: 'SENT', attempts: 2 });
    expect(sleeps).toEqual([2500]);
  });

  it('hands a Retry-After beyond maxRetryAfterMs back to the caller instead of sleeping', async () => {
    peer = await startPeer(() => ({
      status: 429,
      json: { ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 3600 } },
    }));
    const sender = new TelegramSender({ botToken: '1:x', baseUrl: peer.baseUrl });
    const { policy, sleeps } = recordingPolicy({ maxRetryAfterMs: 60_000 });
    const result = await deliver(sender, { telegramChatId: '7' }, reminderMessage, policy);
    expect(result).toMatchObject({ status: 'FAILED', attempts: 1, retryAfterMs: 3_600_000 });
    expect(sleeps).toEqual([]);
  });

  it('skips an unconfigured channel or a recipient without address, with the reason', async () => {
    const { policy, sleeps } = recordingPolicy();
    expect(await deliver(new TelegramSender(), { telegramChatId: '7' }, alertMessage, policy)).toEqual({
      status: 'SKIPPED',
      attempts: 0,
      lastError: 'Telegram is not configured on this server (no bot token)',
    });
    expect(
      await deliver(new SmsSender({ accountSid: 'AC1', authToken: 't', from: '+1' }), {}, alertMessage, policy),
    ).toMatchObject({
      status: 'SKIPPED',
      lastError: 'Recipient has no phone number',
    });
    expect(sleeps).toEqual([]);
  });

  it('records in-app delivery as sent', async () => {
    expect(await deliver(new InAppSender(), { userId: 'u1' }, reminderMessage, recordingPolicy().policy)).toMatchObject(
      { status: 'SENT', attempts: 1 },
    );
  });

  it('reports a sender bug as a non-retryable failure', async () => {
    const broken: ChannelSender = {
      channel: 'EMAIL',
      isConfigured: () => true,
      unavailableReason: () => null,
      send: async () => {
        throw new TypeError('cannot read properties of undefined');
      },
    };
    const result = await deliver(broken, {}, alertMessage, recordingPolicy().policy);
    expect(result).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastError: 'EMAIL sender failed unexpectedly: cannot read properties of undefined',
    });
  });
});
