import type { ChannelSender, Message, Recipient } from './channel.types';
import { classifyHttpStatus, DeliveryError, parseRetryAfterHeader } from './delivery.error';
import { asRecord, excerpt, joinUrl, postToProvider } from './provider.http';
import { safeLink, truncate } from './message.format';

/** Twilio Programmable Messaging settings. Either `from` or `messagingServiceSid` is required. */
export interface SmsConfig {
  accountSid: string;
  /** The account's auth token. Secret. Used unless an API key is given. */
  authToken?: string;
  /** An API key (SK…) and its secret, Twilio's recommended credentials. */
  apiKeySid?: string;
  apiKeySecret?: string;
  /** Sender number in E.164 or an alphanumeric sender id. */
  from?: string;
  /** A Messaging Service that picks the sender itself. Takes precedence over `from`. */
  messagingServiceSid?: string;
  /** Default https://api.twilio.com. */
  baseUrl?: string;
  timeoutMs?: number;
}

/** Twilio error codes that mean "this number will never take the message" (not exhaustive). */
const RECIPIENT_CODES = new Set([21211, 21212, 21214, 21217, 21219, 21408, 21610, 21612, 21614, 30003, 30005, 30006]);
/** Twilio concatenates up to 10 segments; keep well inside that. */
const BODY_LIMIT = 1200;
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Sends an SMS with Twilio's REST API: `POST {baseUrl}/2010-04-01/Accounts/{sid}/Messages.json`,
 * form-encoded To/From (or MessagingServiceSid)/Body, HTTP basic auth. Twilio error JSON
 * (`code`, `message`) is quoted in the error. 429 and 5xx are retryable (Twilio's 20429
 * too); any other 4xx — invalid or unsubscribed number (21211, 21610…), bad credentials — is
 * permanent.
 */
export class SmsSender implements ChannelSender {
  readonly channel = 'SMS' as const;

  constructor(private readonly config?: SmsConfig) {}

  isConfigured(): boolean {
    const c = this.config;
    if (!c?.accountSid || !(c.from || c.messagingServiceSid)) return false;
    return Boolean(c.authToken || (c.apiKeySid && c.apiKeySecret));
  }

  unavailableReason(recipient: Recipient): string | null {
    if (!this.isConfigured()) return 'SMS is not configured on this server (no Twilio account)';
    if (!recipient.phone) return 'Recipient has no phone number';
    if (!E164.test(recipient.phone)) return 'Recipient phone number is not in international format (+…)';
    return null;
  }

  async send(recipient: Recipient, message: Message): Promise<void> {
    const reason = this.unavailableReason(recipient);
    const config = this.config;
    if (reason || !config || !recipient.phone) {
      throw new DeliveryError(reason ?? 'SMS unavailable', {
        channel: this.channel,
        retryable: false,
        permanent: true,
      });
    }
    const form = new URLSearchParams();
    form.set('To', recipient.phone);
    if (config.messagingServiceSid) form.set('MessagingServiceSid', config.messagingServiceSid);
    else form.set('From', config.from as string);
    form.set('Body', smsBody(message));

    const user = config.apiKeySid && config.apiKeySecret ? config.apiKeySid : config.accountSid;
    const secret = config.apiKeySid && config.apiKeySecret ? config.apiKeySecret : (config.authToken as string);
    const path = `2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
    const response = await postToProvider({
      channel: this.channel,
      target: 'Twilio Messages',
      url: joinUrl(config.baseUrl ?? 'https://api.twilio.com', path),
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      timeoutMs: config.timeoutMs,
    });
    if (response.status >= 200 && response.status < 300) return;

    const answer = asRecord(response.json);
    const code = typeof answer?.code === 'number' ? answer.code : undefined;
    const detail = typeof answer?.message === 'string' ? answer.message : excerpt(response.text) || 'no details';
    let { retryable, permanent } = classifyHttpStatus(response.status);
    if (code === 20429) ({ retryable, permanent } = { retryable: true, permanent: false });
    const what =
      code !== undefined && RECIPIENT_CODES.has(code) ? 'Twilio refused the number' : 'Twilio refused the message';
    throw new DeliveryError(`${what} (${response.status}${code !== undefined ? `, code ${code}` : ''}): ${detail}`, {
      channel: this.channel,
      retryable,
      permanent,
      retryAfterMs: parseRetryAfterHeader(response.headers.get('retry-after')),
      status: response.status,
      providerCode: code,
    });
  }
}

/** Title, body and link in one text, cut so the link (the useful part) always fits. */
function smsBody(message: Message): string {
  const link = safeLink(message.url);
  const tail = link ? `\n${link}` : '';
  return truncate(`${message.title}\n${message.body}`, BODY_LIMIT - tail.length) + tail;
}
