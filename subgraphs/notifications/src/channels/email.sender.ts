import { createTransport } from 'nodemailer';
import type { ChannelSender, Message, Recipient } from './channel.types';
import { DeliveryError } from './delivery.error';
import { emailHtml, plainText } from './message.format';

/** SMTP server settings. */
export interface EmailConfig {
  host: string;
  /** Defaults to 465 when `secure`, else 587. */
  port?: number;
  /** Implicit TLS from the first byte (port 465). Otherwise STARTTLS is used when offered. */
  secure?: boolean;
  /** Refuse to send unless the server upgrades to TLS (STARTTLS). */
  requireTLS?: boolean;
  /** SMTP AUTH credentials; both or neither. */
  user?: string;
  pass?: string;
  /** The From header, e.g. `"Supergraph Alerts" <alerts@example.org>`. */
  from: string;
  /** Connection, greeting and socket timeout. Default 10 s. */
  timeoutMs?: number;
}

/** SMTP reply codes and nodemailer codes that a later attempt can get past. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']);

/**
 * Sends e-mail over SMTP with nodemailer: a plain-text part and a simple HTML part.
 * Unconfigured (no `config`) it never sends and says so in `unavailableReason`.
 * Errors: 4xx SMTP replies and connection problems are retryable; 5xx replies (unknown
 * mailbox, rejected content) are permanent; authentication failures are permanent too,
 * since only an operator can fix them.
 */
export class EmailSender implements ChannelSender {
  readonly channel = 'EMAIL' as const;
  private readonly transport;

  constructor(private readonly config?: EmailConfig) {
    const timeout = config?.timeoutMs ?? 10_000;
    this.transport = config
      ? createTransport({
          host: config.host,
          port: config.port ?? (config.secure ? 465 : 587),
          secure: config.secure ?? false,
          requireTLS: config.requireTLS ?? false,
          auth: config.user ? { user: config.user, pass: config.pass ?? '' } : undefined,
          connectionTimeout: timeout,
          greetingTimeout: timeout,
          socketTimeout: timeout,
        })
      : undefined;
  }

  isConfigured(): boolean {
    return this.transport !== undefined;
  }

  unavailableReason(recipient: Recipient): string | null {
    if (!this.isConfigured()) return 'E-mail is not configured on this server (no SMTP host)';
    if (!recipient.email) return 'Recipient has no e-mail address';
    return null;
  }

  async send(recipient: Recipient, message: Message): Promise<void> {
    const reason = this.unavailableReason(recipient);
    if (reason || !this.transport || !this.config || !recipient.email) {
      throw new DeliveryError(reason ?? 'E-mail unavailable', {
        channel: this.channel,
        retryable: false,
        permanent: true,
      });
    }
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: recipient.name ? { name: recipient.name, address: recipient.email } : recipient.email,
        subject: message.title,
        text: plainText(message),
        html: emailHtml(message),
        priority: message.urgency === 'HIGH' ? 'high' : 'normal',
        headers: { 'X-Notification-Category': message.category },
      });
    } catch (error) {
      throw toDeliveryError(error);
    }
  }
}

function toDeliveryError(error: unknown): DeliveryError {
  const err = error as Error & { code?: string; responseCode?: number; response?: string };
  const responseCode = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const code = err.code;
  const detail = err.response ?? err.message ?? String(error);
  let retryable: boolean;
  if (responseCode !== undefined) {
    // RFC 5321: 4yz is a transient refusal, 5yz permanent (503 is only a session-state error).
    retryable = (responseCode >= 400 && responseCode < 500) || responseCode === 503;
  } else {
    retryable = code !== undefined && TRANSIENT_CODES.has(code);
  }
  const what = code === 'EAUTH' ? 'SMTP authentication failed' : 'SMTP server refused the message';
  return new DeliveryError(`${retryable ? 'SMTP delivery failed' : what}: ${detail}`, {
    channel: 'EMAIL',
    retryable,
    permanent: !retryable,
    status: responseCode,
    providerCode: code,
    cause: error,
  });
}
