import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Emit, Logger } from '@supergraph/kit';
import {
  deliver,
  type ChannelSenders,
  type DeliveryResult,
  type Recipient as ChannelRecipient,
  type RetryPolicy,
} from '../channels';
import { Delivery } from '../entities/delivery.entity';
import { DeliveryStatus } from '../entities/enums';
import { PushSubscriptionRow } from '../entities/push-subscription.entity';
import { Recipient } from '../entities/recipient.entity';
import { toMessage } from './notification.factory';

/** What the delivery worker needs. */
export interface DeliveryWorkerOptions {
  orm: MikroORM;
  senders: ChannelSenders;
  retry: RetryPolicy;
  /** Deliveries in flight at once in this process. */
  concurrency: number;
  log: Logger;
  /** Records the notifications subgraph's events. */
  emit: Emit;
  /** How long a claim is held before another worker may take the delivery over. Default 10 min. */
  leaseMs?: number;
}

/** Thrown into a retry wait when the worker stops, so the delivery is handed back. */
class StoppedError extends Error {}

/**
 * Sends due PENDING deliveries. A claim is one statement: `update … where id in (select … for
 * update skip locked) returning id`, which leases the rows so no other replica takes them; the
 * provider calls then run outside any transaction (retries with backoff via `deliver()`), and
 * each outcome is recorded in its own transaction together with its `notification.delivered` /
 * `notification.failed` event. A crashed worker's lease expires and the row becomes due again.
 */
export class DeliveryWorker {
  private inFlight = 0;
  private readonly tasks = new Set<Promise<void>>();
  private stopping = false;
  private readonly wakers = new Set<() => void>();

  constructor(private readonly opts: DeliveryWorkerOptions) {}

  /** Claims as many due deliveries as there are free slots and starts them; true when slots stayed full. */
  async claimAndStart(): Promise<boolean> {
    if (this.stopping) return false;
    const free = this.opts.concurrency - this.inFlight;
    if (free <= 0) return false;
    const ids = await this.claim(free);
    if (ids.length === 0) return false;
    const loaded = await this.load(ids);
    for (const item of loaded) this.track(this.run(item));
    return ids.length === free;
  }

  /**
   * Sends the given deliveries now and waits for their outcomes (used by `sendTestNotification`).
   * Rows another worker already holds are left to it, and waited for (at most `waitMs`).
   */
  async deliverNow(ids: string[], policy: RetryPolicy = {}, waitMs = 10_000): Promise<void> {
    const claimed = await this.claim(ids.length, ids);
    if (claimed.length) await Promise.all((await this.load(claimed)).map((item) => this.run(item, policy)));
    const others = ids.filter((id) => !claimed.includes(id));
    // The background loop may have taken some first (its kick races this call): wait for their outcome.
    const deadline = Date.now() + waitMs;
    while (others.length && Date.now() < deadline) {
      const em = this.opts.orm.em.fork() as EntityManager;
      const busy = await em.count(Delivery, {
        id: { $in: others },
        status: DeliveryStatus.PENDING,
        leaseUntil: { $ne: null },
      });
      if (busy === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** True when deliveries are being sent right now. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Stops taking work, interrupts retry waits (their deliveries are handed back) and waits for the rest. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.wakers) wake();
    await Promise.allSettled([...this.tasks]);
  }

  private track(task: Promise<void>): void {
    this.inFlight += 1;
    this.tasks.add(task);
    void task.finally(() => {
      this.inFlight -= 1;
      this.tasks.delete(task);
      this.onIdleSlot?.();
    });
  }

  /** Called when a slot frees up (the dispatcher kicks its loop). */
  onIdleSlot?: () => void;

  private async claim(limit: number, only?: string[]): Promise<string[]> {
    const em = this.opts.orm.em.fork() as EntityManager;
    const filter = only?.length ? `and "id" in (${only.map(() => '?').join(', ')})` : '';
    const rows = await em.execute<{ id: string }[]>(
      `update "notification_delivery" set "lease_until" = now() + (? * interval '1 millisecond'), "updated_at" = now()
       where "id" in (
         select "id" from "notification_delivery"
         where "status" = 'PENDING' and "not_before" <= now() and ("lease_until" is null or "lease_until" < now()) ${filter}
         order by "not_before", "id" limit ? for update skip locked)
       returning "id"`,
      [this.opts.leaseMs ?? 600_000, ...(only ?? []), limit],
    );
    return rows.map((r) => r.id);
  }

  private async load(ids: string[]): Promise<{ delivery: Delivery; recipient: ChannelRecipient }[]> {
    const em = this.opts.orm.em.fork() as EntityManager;
    const deliveries = await em.find(Delivery, { id: { $in: ids } }, { populate: ['notification'] });
    const userIds = [...new Set(deliveries.map((d) => d.notification.recipientId))];
    const [recipients, subscriptions] = await Promise.all([
      em.find(Recipient, { userId: { $in: userIds } }),
      em.find(PushSubscriptionRow, { userId: { $in: userIds } }),
    ]);
    const byId = new Map(recipients.map((r) => [r.userId, r]));
    return deliveries.map((delivery) => {
      const userId = delivery.notification.recipientId;
      const r = byId.get(userId);
      return {
        delivery,
        recipient: {
          userId,
          name: r?.displayName ?? undefined,
          email: r?.email ?? undefined,
          phone: r?.phone ?? undefined,
          telegramChatId: r?.telegramChatId ?? undefined,
          discordWebhookUrl: r?.discordWebhookUrl ?? undefined,
          pushSubscriptions: subscriptions
            .filter((s) => s.userId === userId)
            .map((s) => ({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } })),
        },
      };
    });
  }

  private async run(
    { delivery, recipient }: { delivery: Delivery; recipient: ChannelRecipient },
    override: RetryPolicy = {},
  ): Promise<void> {
    const sender = this.opts.senders[delivery.channel];
    let attemptsSoFar = 0;
    let lastRetryError: string | undefined;
    let result: DeliveryResult | 'stopped';
    try {
      result = await deliver(sender, recipient, toMessage(delivery.notification), {
        ...this.opts.retry,
        ...override,
        sleep: (ms) => this.sleep(ms),
        onRetry: ({ attempt, delayMs, error }) => {
          attemptsSoFar = attempt;
          lastRetryError = error.message;
          this.opts.log.info(
            { deliveryId: delivery.id, channel: delivery.channel, attempt, delayMs, error: error.message },
            'delivery attempt failed; retrying',
          );
        },
      });
    } catch (err) {
      if (!(err instanceof StoppedError)) throw err;
      result = 'stopped';
    }
    try {
      await this.record(delivery, result, attemptsSoFar, lastRetryError);
    } catch (err) {
      // The lease expires and the delivery is retried; a provider may then see it twice.
      this.opts.log.error({ err, deliveryId: delivery.id }, 'could not record a delivery outcome');
    }
  }

  private async record(
    delivery: Delivery,
    result: DeliveryResult | 'stopped',
    attemptsSoFar: number,
    lastRetryError?: string,
  ): Promise<void> {
    const n = delivery.notification;
    const em = this.opts.orm.em.fork() as EntityManager;
    const maxAttempts = this.opts.retry.maxAttempts ?? 5;
    await em.transactional(async (tx) => {
      if (result === 'stopped') {
        await tx.nativeUpdate(
          Delivery,
          { id: delivery.id },
          { attempts: delivery.attempts + attemptsSoFar, lastError: lastRetryError ?? null, leaseUntil: null },
        );
        return;
      }
      const attempts = delivery.attempts + result.attempts;
      const base = { attempts, leaseUntil: null, lastError: result.lastError ?? null };
      const payload = {
        notificationId: n.id,
        recipientId: n.recipientId,
        channel: delivery.channel.toLowerCase(),
        category: n.category,
        attempts,
      };
      switch (result.status) {
        case 'SENT':
          await tx.nativeUpdate(
            Delivery,
            { id: delivery.id },
            { ...base, status: DeliveryStatus.SENT, sentAt: result.sentAt ?? new Date() },
          );
          this.opts.emit(tx, 'notification.delivered', payload, { correlationId: n.id });
          break;
        case 'SKIPPED':
          await tx.nativeUpdate(Delivery, { id: delivery.id }, { ...base, status: DeliveryStatus.SKIPPED });
          this.opts.log.debug(
            { deliveryId: delivery.id, channel: delivery.channel, reason: result.lastError },
            'delivery skipped',
          );
          break;
        case 'FAILED':
          if (result.retryAfterMs !== undefined && attempts < maxAttempts) {
            // The provider asked for a long pause: come back then instead of holding a slot.
            await tx.nativeUpdate(
              Delivery,
              { id: delivery.id },
              { ...base, notBefore: new Date(Date.now() + result.retryAfterMs) },
            );
            break;
          }
          await tx.nativeUpdate(Delivery, { id: delivery.id }, { ...base, status: DeliveryStatus.FAILED });
          this.opts.emit(tx, 'notification.failed', { ...payload, error: result.lastError }, { correlationId: n.id });
          this.opts.log.warn(
            { deliveryId: delivery.id, channel: delivery.channel, attempts, error: result.lastError },
            'delivery failed',
          );
          break;
        default: {
          const never: never = result.status;
          throw new Error(`unknown delivery status ${String(never)}`);
        }
      }
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.reject(new StoppedError());
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        reject(new StoppedError());
      };
      const timer = setTimeout(() => {
        this.wakers.delete(wake);
        resolve();
      }, ms);
      this.wakers.add(wake);
    });
  }
}
