import type { Channel } from '@supergraph/kit';

/** Everything a sender knows about a failed delivery attempt. */
export interface DeliveryErrorOptions {
  channel: Channel;
  /** True when sending the same message again later may succeed (rate limit, outage, timeout). */
  retryable: boolean;
  /** How long the provider asked us to wait before the next attempt. */
  retryAfterMs?: number;
  /**
   * True when the address or the request itself is refused for good (unknown chat, invalid
   * number, deleted webhook, expired push subscription): retrying can never help.
   */
  permanent?: boolean;
  /** HTTP status (or SMTP reply code for e-mail) the provider answered with. */
  status?: number;
  /** The provider's own error code (Telegram error_code, Twilio code, nodemailer code). */
  providerCode?: string | number;
  /** Push subscription endpoints the push service reported gone (404/410): delete them. */
  goneEndpoints?: string[];
  cause?: unknown;
}

/**
 * Thrown by `ChannelSender.send` when a provider did not accept a message. The message is
 * meant for operators and delivery logs: it names the channel and quotes the provider.
 * Invariant: `permanent` implies `!retryable`.
 */
export class DeliveryError extends Error {
  readonly channel: Channel;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly permanent?: boolean;
  readonly status?: number;
  readonly providerCode?: string | number;
  readonly goneEndpoints?: string[];

  constructor(message: string, options: DeliveryErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeliveryError';
    this.channel = options.channel;
    this.permanent = options.permanent;
    this.retryable = options.permanent ? false : options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.providerCode = options.providerCode;
    this.goneEndpoints = options.goneEndpoints;
  }
}

/**
 * Parses an HTTP `Retry-After` header (delta-seconds or an HTTP date) into milliseconds from
 * `nowMs`. Returns undefined when absent or unparsable; never negative.
 */
export function parseRetryAfterHeader(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Classifies an HTTP error status the way every HTTP provider here needs it:
 * 408, 425, 429 and 5xx are worth retrying; any other 4xx is permanent (the request or the
 * address is wrong, or our credentials are). Returns the `retryable`/`permanent` pair.
 */
export function classifyHttpStatus(status: number): { retryable: boolean; permanent: boolean } {
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    return { retryable: true, permanent: false };
  }
  return { retryable: false, permanent: status >= 400 && status < 500 };
}
