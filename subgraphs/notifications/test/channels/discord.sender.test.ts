import { afterEach, describe, expect, it } from 'vitest';
import { DiscordSender } from '../../src/channels/discord.sender';
import { alertMessage, reminderMessage, startPeer, type PeerAnswer, type ProviderPeer } from './provider.peer';

const NOW = new Date('2025-05-01T10:00:00.000Z');

describe('DiscordSender against a local webhook endpoint', () => {
  let peer: ProviderPeer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  async function webhook(answer: () => PeerAnswer) {
    peer = await startPeer((req) => {
      if (req.method !== 'POST' || !/^\/api\/webhooks\/\d+\/[\w-]+$/.test(req.path))
        return { status: 404, json: { message: 'Unknown Webhook', code: 10015 } };
      if (req.headers['content-type'] !== 'application/json')
        return { status: 400, json: { message: 'Cannot send an empty message', code: 50006 } };
      return answer();
    });
    const prefix = `${peer.baseUrl}/api/webhooks/`;
    const sender = new DiscordSender({ allowedWebhookPrefixes: [prefix], username: 'Supergraph' }, () => NOW);
    return { sender, hookUrl: `${prefix}111/tok-en` };
  }

  it('posts content and an embed with title, description, url, colour, timestamp and image', async () => {
    const { sender, hookUrl } = await webhook(() => ({ status: 204 }));
    await sender.send({ discordWebhookUrl: hookUrl }, alertMessage);
    const [req] = (peer as ProviderPeer).requests;
    expect(req.path).toBe('/api/webhooks/111/tok-en');
    const payload = JSON.parse(req.body.toString('utf8'));
    expect(payload.content).toBe(`🚨 ${alertMessage.title}`);
    expect(payload.username).toBe('Supergraph');
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload.embeds).toEqual([
      {
        title: alertMessage.title,
        description: alertMessage.body,
        url: alertMessage.url,
        color: 0xc62828,
        timestamp: NOW.toISOString(),
        footer: { text: 'CASE_ALERT' },
        image: { url: alertMessage.photoUrl },
      },
    ]);
  });

  it('uses the configured webhook when the recipient has none', async () => {
    peer = await startPeer(() => ({ status: 204 }));
    const sender = new DiscordSender({ webhookUrl: `${peer.baseUrl}/api/webhooks/9/ops` });
    await sender.send({}, reminderMessage);
    expect(peer.requests.map((r) => r.path)).toEqual(['/api/webhooks/9/ops']);
    const embed = JSON.parse(peer.requests[0].body.toString('utf8')).embeds[0];
    expect(embed.url).toBeUndefined();
    expect(embed.image).toBeUndefined();
  });

  it('maps 429 with retry_after seconds to a retryable error', async () => {
    const { sender, hookUrl } = await webhook(() => ({
      status: 429,
      json: { message: 'You are being rate limited.', retry_after: 1.25, global: false },
    }));
    const error = await sender.send({ discordWebhookUrl: hookUrl }, reminderMessage).catch((e: unknown) => e);
    expect(error).toMatchObject({ channel: 'DISCORD', retryable: true, retryAfterMs: 1250, status: 429 });
  });

  it('treats a deleted webhook (404) as permanent', async () => {
    const { sender } = await webhook(() => ({ status: 204 }));
    const error = await sender
      .send({ discordWebhookUrl: `${(peer as ProviderPeer).baseUrl}/api/webhooks/1/x/extra` }, reminderMessage)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false, permanent: true, status: 404, providerCode: 10015 });
    expect((error as Error).message).toBe('Discord webhook failed (404): Unknown Webhook');
  });

  it('refuses recipient webhooks outside the allowed prefixes', () => {
    const sender = new DiscordSender({});
    expect(sender.unavailableReason({ discordWebhookUrl: 'http://169.254.169.254/latest' })).toMatch(
      /not a Discord webhook/,
    );
    expect(
      sender.unavailableReason({ discordWebhookUrl: 'https://discord.com@evil.example/api/webhooks/1/x' }),
    ).toMatch(/not a Discord webhook/);
    expect(sender.unavailableReason({ discordWebhookUrl: 'https://discord.com/api/webhooks/1/abc' })).toBeNull();
    expect(sender.unavailableReason({})).toMatch(/no Discord webhook/);
    expect(
      new DiscordSender().unavailableReason({ discordWebhookUrl: 'https://discord.com/api/webhooks/1/abc' }),
    ).toMatch(/not configured/);
  });
});
