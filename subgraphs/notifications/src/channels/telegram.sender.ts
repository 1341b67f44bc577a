import type { ChannelSender, Message, Recipient } from './channel.types';
import { classifyHttpStatus, DeliveryError, parseRetryAfterHeader } from './delivery.error';
import { asRecord, excerpt, joinUrl, postToProvider, type ProviderResponse } from './provider.http';
import { safeLink, telegramHtml } from './message.format';

/** Telegram Bot API settings. */
export interface TelegramConfig {
  /** The bot token from @BotFather ("123456:ABC…"). Secret. */
  botToken: string;
  /** Bot API server; default https://api.telegram.org (a self-hosted Bot API server works too). */
  baseUrl?: string;
  timeoutMs?: number;
}

/** Telegram's limits on visible text. */
const MESSAGE_LIMIT = 4096;
const CAPTION_LIMIT = 1024;

/**
 * Sends through the Telegram Bot API: `sendPhoto` with an HTML caption when the message has
 * a photo, else `sendMessage`. If Telegram cannot fetch the photo (a 400 on sendPhoto), the
 * message still goes out as text. Error answers `{ ok: false, error_code, description,
 * parameters.retry_after }` map to: 429 → retryable after `retry_after` seconds; 5xx →
 * retryable; 400/403/404 (chat not found, bot blocked by the user) → permanent.
 */
export class TelegramSender implements ChannelSender {
  readonly channel = 'TELEGRAM' as const;

  constructor(private readonly config?: TelegramConfig) {}

  isConfigured(): boolean {
    return Boolean(this.config?.botToken);
  }

  unavailableReason(recipient: Recipient): string | null {
    if (!this.isConfigured()) return 'Telegram is not configured on this server (no bot token)';
    if (!recipient.telegramChatId) return 'Recipient has not linked a Telegram chat';
    return null;
  }

  async send(recipient: Recipient, message: Message): Promise<void> {
    const reason = this.unavailableReason(recipient);
    if (reason || !recipient.telegramChatId) {
      throw new DeliveryError(reason ?? 'Telegram unavailable', {
        channel: this.channel,
        retryable: false,
        permanent: true,
      });
    }
    const chatId = recipient.telegramChatId;
    const photo = safeLink(message.photoUrl);
    if (photo) {
      try {
        await this.call('sendPhoto', {
          chat_id: chatId,
          photo,
          caption: telegramHtml(message, CAPTION_LIMIT),
          parse_mode: 'HTML',
        });
        return;
      } catch (error) {
        // A photo Telegram cannot download must not cost the alert itself.
        if (!(error instanceof DeliveryError) || error.status !== 400) throw error;
      }
    }
    await this.call('sendMessage', {
      chat_id: chatId,
      text: telegramHtml(message, MESSAGE_LIMIT),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: !message.url },
    });
  }

  private async call(method: string, payload: Record<string, unknown>): Promise<void> {
    const config = this.config as TelegramConfig;
    const response = await postToProvider({
      channel: this.channel,
      target: `Telegram ${method}`,
      url: joinUrl(config.baseUrl ?? 'https://api.telegram.org', `bot${config.botToken}/${method}`),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      timeoutMs: config.timeoutMs,
    });
    const answer = asRecord(response.json);
    if (response.status >= 200 && response.status < 300 && answer?.ok === true) return;
    throw telegramError(method, response, answer);
  }
}

function telegramError(
  method: string,
  response: ProviderResponse,
  answer: Record<string, unknown> | undefined,
): DeliveryError {
  const code = typeof answer?.error_code === 'number' ? answer.error_code : response.status;
  const description =
    typeof answer?.description === 'string' ? answer.description : excerpt(response.text) || 'no description';
  const parameters = asRecord(answer?.parameters);
  const retryAfterS = typeof parameters?.retry_after === 'number' ? parameters.retry_after : undefined;
  const retryAfterMs =
    retryAfterS !== undefined ? retryAfterS * 1000 : parseRetryAfterHeader(response.headers.get('retry-after'));
  // A 2xx without ok:true is a broken peer, not a verdict on the message.
  const { retryable, permanent } =
    code >= 200 && code < 300 ? { retryable: true, permanent: false } : classifyHttpStatus(code);
  return new DeliveryError(`Telegram ${method} failed (${code}): ${description}`, {
    channel: 'TELEGRAM',
    retryable,
    permanent,
    retryAfterMs,
    status: code,
    providerCode: code,
  });
}
