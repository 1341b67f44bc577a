import type { ChannelSender, Message, Recipient } from './channel.types';
import { DeliveryError } from './delivery.error';

/** How hard to try one delivery. */
export interface RetryPolicy {
  /** Attempts in total, the first included. Default 5. */
  maxAttempts?: number;
  /** Backoff cap for the first retry; doubles per attempt. Default 1 s. */
  baseDelayMs?: number;
  /** Upper bound of any backoff (not of a provider's Retry-After). Default 60 s. */
  maxDelayMs?: number;
  /**
   * Longest provider-requested wait honoured in-process. A longer Retry-After ends the run
   * (FAILED, `retryAfterMs` set) so the caller can reschedule instead of holding a worker.
   * Default 5 min.
   */
  maxRetryAfterMs?: number;
}

/** A retry policy plus the effects the runner needs, injectable for deterministic tests. */
export interface DeliveryPolicy extends RetryPolicy {
  /** Waits `ms` milliseconds. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). Default Math.random. */
  random?: () => number;
  now?: () => Date;
  /** Told before each wait, e.g. to log the retry. */
  onRetry?: (info: { attempt: number; delayMs: number; error: DeliveryError }) => void;
}

/** Final outcome of one delivery on one channel. */
export interface DeliveryResult {
  /** SKIPPED: the channel cannot reach this recipient (not configured, no address); not an error. */
  status: 'SENT' | 'FAILED' | 'SKIPPED';
  /** Calls made to the provider (0 when skipped). */
  attempts: number;
  /** Why it was skipped, or the last provider error when it failed. */
  lastError?: string;
  /** The last error itself when FAILED: `permanent`, `goneEndpoints` (push) and so on. */
  error?: DeliveryError;
  /** Set when the provider asked for a wait longer than `maxRetryAfterMs`: retry no sooner. */
  retryAfterMs?: number;
  sentAt?: Date;
}

/** Defaults applied to every field of a `RetryPolicy` left undefined. */
export const DEFAULT_RETRY_POLICY: Required<RetryPolicy> = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 5 * 60_000,
};

/**
 * The wait before the next attempt after attempt number `attempt` (1-based) failed:
 * exponential backoff with full jitter, `random() * min(maxDelayMs, baseDelayMs * 2^(attempt-1))`,
 * rounded down. Pure: the same inputs give the same delay.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const base = policy.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs;
  const max = policy.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs;
  const exponent = Math.min(Math.max(attempt - 1, 0), 52);
  const cap = Math.min(max, base * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * cap);
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Delivers `message` to `recipient` through `sender`, retrying what can be retried.
 * - Not configured / no address → SKIPPED at once, the reason in `lastError`, 0 attempts.
 * - Success → SENT with the number of attempts used and `sentAt`.
 * - A permanent or non-retryable error → FAILED right away.
 * - A retryable error → wait `max(backoffDelay, retryAfterMs)` and try again, up to
 *   `maxAttempts`; then FAILED with the last error.
 * Never throws for provider failures; errors that are not `DeliveryError`s (bugs in a
 * sender) are reported as non-retryable failures.
 */
export async function deliver(
  sender: ChannelSender,
  recipient: Recipient,
  message: Message,
  policy: DeliveryPolicy = {},
): Promise<DeliveryResult> {
  const reason = sender.unavailableReason(recipient);
  if (reason !== null) return { status: 'SKIPPED', attempts: 0, lastError: reason };

  const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts));
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs;
  const sleep = policy.sleep ?? realSleep;
  const random = policy.random ?? Math.random;
  const now = policy.now ?? (() => new Date());

  for (let attempt = 1; ; attempt++) {
    let error: DeliveryError;
    try {
      await sender.send(recipient, message);
      return { status: 'SENT', attempts: attempt, sentAt: now() };
    } catch (thrown) {
      error = asDeliveryError(sender, thrown);
    }
    const failed = (extra: Partial<DeliveryResult> = {}): DeliveryResult => ({
      status: 'FAILED',
      attempts: attempt,
      lastError: error.message,
      error,
      ...extra,
    });
    if (!error.retryable || attempt >= maxAttempts) return failed();
    if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfterMs) {
      return failed({ retryAfterMs: error.retryAfterMs });
    }
    const delayMs = Math.max(backoffDelay(attempt, policy, random), error.retryAfterMs ?? 0);
    policy.onRetry?.({ attempt, delayMs, error });
    await sleep(delayMs);
  }
}

function asDeliveryError(sender: ChannelSender, thrown: unknown): DeliveryError {
  if (thrown instanceof DeliveryError) return thrown;
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  return new DeliveryError(`${sender.channel} sender failed unexpectedly: ${text}`, {
    channel: sender.channel,
    retryable: false,
    cause: thrown,
  });
}
