import type { ChannelSender, Message, Recipient } from './channel.types';
import { classifyHttpStatus, DeliveryError, parseRetryAfterHeader } from './delivery.error';
import { asRecord, excerpt, postToProvider } from './provider.http';
import { safeLink, truncate } from './message.format';

/** Discord webhook settings. */
export interface DiscordConfig {
  /** A server-wide webhook used for recipients who have none of their own (e.g. an ops channel). */
  webhookUrl?: string;
  /**
   * URL prefixes a recipient's own webhook must start with. The server POSTs to these URLs,
   * so anything else is refused (no requests to internal hosts on a user's behalf).
   * Default: the official Discord webhook hosts.
   */
  allowedWebhookPrefixes?: string[];
  /** Name shown as the message author. */
  username?: string;
  timeoutMs?: number;
}

/** Where real Discord webhooks live. */
export const DISCORD_WEBHOOK_PREFIXES = [
  'https://discord.com/api/webhooks/',
  'https://discordapp.com/api/webhooks/',
  'https://ptb.discord.com/api/webhooks/',
  'https://canary.discord.com/api/webhooks/',
];

/** Embed colours by urgency: red for alerts, green for reminders, grey for the rest. */
const COLORS = { HIGH: 0xc62828, NORMAL: 0x2e7d32, LOW: 0x757575 } as const;

/**
 * Posts to a Discord webhook (the recipient's own, else the configured one): a short
 * `content` line plus one embed with title, description, link, colour, timestamp and the
 * photo. Mentions are disabled so message text can never ping @everyone.
 * Errors: 429 is retryable after the `retry_after` seconds from the JSON answer (or the
 * Retry-After header); 5xx retryable; 401/403/404 (deleted webhook) and 400 permanent.
 */
export class DiscordSender implements ChannelSender {
  readonly channel = 'DISCORD' as const;

  constructor(
    private readonly config?: DiscordConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  isConfigured(): boolean {
    return this.config !== undefined;
  }

  unavailableReason(recipient: Recipient): string | null {
    if (!this.config) return 'Discord is not configured on this server';
    const url = recipient.discordWebhookUrl ?? this.config.webhookUrl;
    if (!url) return 'Recipient has no Discord webhook';
    if (recipient.discordWebhookUrl && !this.isAllowed(recipient.discordWebhookUrl)) {
      return 'Recipient Discord webhook URL is not a Discord webhook';
    }
    return null;
  }

  async send(recipient: Recipient, message: Message): Promise<void> {
    const reason = this.unavailableReason(recipient);
    const url = recipient.discordWebhookUrl ?? this.config?.webhookUrl;
    if (reason || !url) {
      throw new DeliveryError(reason ?? 'Discord unavailable', {
        channel: this.channel,
        retryable: false,
        permanent: true,
      });
    }
    const link = safeLink(message.url);
    const photo = safeLink(message.photoUrl);
    const embed: Record<string, unknown> = {
      title: truncate(message.title, 256),
      description: truncate(message.body, 4096),
      color: COLORS[message.urgency],
      timestamp: this.now().toISOString(),
      footer: { text: message.category },
    };
    if (link) embed.url = link;
    if (photo) embed.image = { url: photo };
    const payload: Record<string, unknown> = {
      content: truncate(message.urgency === 'HIGH' ? `🚨 ${message.title}` : message.title, 2000),
      embeds: [embed],
      allowed_mentions: { parse: [] },
    };
    if (this.config?.username) payload.username = this.config.username;

    const response = await postToProvider({
      channel: this.channel,
      target: 'Discord webhook',
      url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      timeoutMs: this.config?.timeoutMs,
    });
    if (response.status >= 200 && response.status < 300) return;

    const answer = asRecord(response.json);
    const retryAfterS = typeof answer?.retry_after === 'number' ? answer.retry_after : undefined;
    const retryAfterMs =
      retryAfterS !== undefined
        ? Math.ceil(retryAfterS * 1000)
        : parseRetryAfterHeader(response.headers.get('retry-after'));
    const detail = typeof answer?.message === 'string' ? answer.message : excerpt(response.text) || 'no details';
    const { retryable, permanent } = classifyHttpStatus(response.status);
    throw new DeliveryError(`Discord webhook failed (${response.status}): ${detail}`, {
      channel: this.channel,
      retryable,
      permanent,
      retryAfterMs,
      status: response.status,
      providerCode: typeof answer?.code === 'number' ? answer.code : undefined,
    });
  }

  private isAllowed(url: string): boolean {
    const prefixes = this.config?.allowedWebhookPrefixes ?? DISCORD_WEBHOOK_PREFIXES;
    let normalized: string;
    try {
      // Compare the parsed form so tricks like userinfo or dot segments cannot pass a prefix.
      normalized = new URL(url).href;
    } catch {
      return false;
    }
    return normalized === url && prefixes.some((prefix) => normalized.startsWith(prefix));
  }
}
