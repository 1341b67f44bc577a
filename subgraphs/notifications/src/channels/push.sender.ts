import { generateRequestDetails } from 'web-push';
import type { ChannelSender, Message, MessageUrgency, PushSubscription, Recipient } from './channel.types';
import { classifyHttpStatus, DeliveryError, parseRetryAfterHeader } from './delivery.error';
import { excerpt, postToProvider } from './provider.http';
import { safeLink, truncate } from './message.format';

/** Web Push (VAPID, RFC 8292) settings. */
export interface PushConfig {
  /** VAPID key pair, base64url as produced by `web-push generate-vapid-keys`. Private key is secret. */
  vapidPublicKey: string;
  vapidPrivateKey: string;
  /** Contact for push services: "mailto:ops@example.org" or an https URL. */
  subject: string;
  /** How long push services keep an undelivered message. Default 24 h for HIGH, 12 h otherwise. */
  ttlSeconds?: Partial<Record<MessageUrgency, number>>;
  /** Accept http:// subscription endpoints (local push services in tests). Default false. */
  allowInsecureEndpoints?: boolean;
  /**
   * Called for each subscription the push service reports gone (404/410), so it can be
   * deleted, whether or not the message reached the recipient's other devices. It must not
   * throw: a rejection is ignored so that a delivered message is never sent twice.
   */
  onSubscriptionGone?: (endpoint: string) => void | Promise<void>;
  timeoutMs?: number;
}

const DEFAULT_TTL: Record<MessageUrgency, number> = { HIGH: 86_400, NORMAL: 43_200, LOW: 43_200 };
const URGENCY = { HIGH: 'high', NORMAL: 'normal', LOW: 'low' } as const;

/** What one push service said about one subscription. */
type Outcome = { ok: true } | { ok: false; gone: boolean; error: DeliveryError };

/**
 * Sends an encrypted (aes128gcm) Web Push message with a VAPID `Authorization` header to
 * every push subscription of the recipient; the JSON payload is
 * `{ title, body, url, image, category, tag }` for the service worker to show.
 * The message counts as sent when at least one device's push service accepted it.
 * 404/410 means the subscription is gone: it is reported (`onSubscriptionGone`, and
 * `goneEndpoints` on the error) and, when every subscription is gone, the failure is permanent.
 */
export class PushSender implements ChannelSender {
  readonly channel = 'PUSH' as const;

  constructor(private readonly config?: PushConfig) {}

  isConfigured(): boolean {
    const c = this.config;
    return Boolean(c?.vapidPublicKey && c.vapidPrivateKey && c.subject);
  }

  unavailableReason(recipient: Recipient): string | null {
    if (!this.isConfigured()) return 'Web Push is not configured on this server (no VAPID keys)';
    if (!recipient.pushSubscriptions?.length) return 'Recipient has no push subscription';
    if (this.usable(recipient).length === 0) return 'Recipient push subscriptions are invalid';
    return null;
  }

  async send(recipient: Recipient, message: Message): Promise<void> {
    const reason = this.unavailableReason(recipient);
    if (reason) throw new DeliveryError(reason, { channel: this.channel, retryable: false, permanent: true });
    const payload = JSON.stringify({
      title: truncate(message.title, 200),
      body: truncate(message.body, 1500),
      url: safeLink(message.url),
      image: safeLink(message.photoUrl),
      category: message.category,
      tag: message.category,
    });
    const subscriptions = this.usable(recipient);
    const outcomes = await Promise.all(subscriptions.map((s) => this.sendOne(s, payload, message.urgency)));

    const gone = outcomes.flatMap((o, i) => (!o.ok && o.gone ? [subscriptions[i].endpoint] : []));
    for (const endpoint of gone) {
      try {
        await this.config?.onSubscriptionGone?.(endpoint);
      } catch {
        // See PushConfig.onSubscriptionGone: cleanup must not turn a delivery into a failure.
      }
    }
    if (outcomes.some((o) => o.ok)) return;

    const errors = outcomes.flatMap((o) => (o.ok ? [] : [o.error]));
    const retryable = errors.filter((e) => e.retryable);
    const first = retryable[0] ?? errors[0];
    const retryAfter = retryable.map((e) => e.retryAfterMs ?? 0).reduce((a, b) => Math.max(a, b), 0);
    const summary =
      errors.length === 1 ? first.message : `${errors.length} subscriptions failed; first: ${first.message}`;
    throw new DeliveryError(summary, {
      channel: this.channel,
      retryable: retryable.length > 0,
      permanent: retryable.length === 0,
      retryAfterMs: retryAfter > 0 ? retryAfter : undefined,
      status: first.status,
      goneEndpoints: gone.length ? gone : undefined,
    });
  }

  private usable(recipient: Recipient): PushSubscription[] {
    return (recipient.pushSubscriptions ?? []).filter((s) => {
      if (!s?.endpoint || !s.keys?.p256dh || !s.keys?.auth) return false;
      try {
        const protocol = new URL(s.endpoint).protocol;
        return protocol === 'https:' || (protocol === 'http:' && this.config?.allowInsecureEndpoints === true);
      } catch {
        return false;
      }
    });
  }

  private async sendOne(subscription: PushSubscription, payload: string, urgency: MessageUrgency): Promise<Outcome> {
    const config = this.config as PushConfig;
    let details;
    try {
      // web-push does the VAPID JWT and the RFC 8291 encryption; we send it ourselves so
      // timeouts, Retry-After and error mapping match every other channel.
      details = generateRequestDetails({ endpoint: subscription.endpoint, keys: subscription.keys }, payload, {
        vapidDetails: { subject: config.subject, publicKey: config.vapidPublicKey, privateKey: config.vapidPrivateKey },
        TTL: config.ttlSeconds?.[urgency] ?? DEFAULT_TTL[urgency],
        urgency: URGENCY[urgency],
        contentEncoding: 'aes128gcm',
      });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        gone: false,
        error: new DeliveryError(`Web Push message could not be prepared: ${text}`, {
          channel: this.channel,
          retryable: false,
          permanent: true,
          cause: error,
        }),
      };
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(details.headers)) {
      // fetch computes Content-Length from the body itself.
      if (name.toLowerCase() !== 'content-length') headers[name] = String(value);
    }
    let response;
    try {
      response = await postToProvider({
        channel: this.channel,
        target: `Push service ${new URL(subscription.endpoint).host}`,
        url: details.endpoint,
        headers,
        body: details.body ? new Uint8Array(details.body) : undefined,
        timeoutMs: config.timeoutMs,
      });
    } catch (error) {
      return { ok: false, gone: false, error: error as DeliveryError };
    }
    if (response.status >= 200 && response.status < 300) return { ok: true };
    const gone = response.status === 404 || response.status === 410;
    const { retryable, permanent } = classifyHttpStatus(response.status);
    const what = gone ? 'push subscription is gone' : 'push service refused the message';
    const error = new DeliveryError(
      `Web Push ${what} (${response.status}): ${excerpt(response.text) || 'no details'}`,
      {
        channel: this.channel,
        retryable,
        permanent,
        retryAfterMs: parseRetryAfterHeader(response.headers.get('retry-after')),
        status: response.status,
        goneEndpoints: gone ? [subscription.endpoint] : undefined,
      },
    );
    return { ok: false, gone, error };
  }
}
