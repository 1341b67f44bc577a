import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LivePubSub, Logger, Worker } from '@supergraph/kit';
import { Alert } from '../entities/alert.entity';
import { Broadcast } from '../entities/broadcast.entity';
import { Delivery } from '../entities/delivery.entity';
import { BroadcastStatus } from '../entities/enums';
import { Notification } from '../entities/notification.entity';
import { recipientsInCircle } from '../directory/recipient.directory';
import { TOPICS } from '../live.topics';
import type { DeliveryWorker } from './delivery.worker';
import { createNotifications } from './notification.factory';
import { WorkLoop } from './work.loop';

/** What the dispatcher drives. */
export interface DispatcherOptions {
  orm: MikroORM;
  worker: DeliveryWorker;
  pubsub: LivePubSub;
  log: Logger;
  pollIntervalMs: number;
}

const BATCH = 200;

/**
 * The notifications subgraph's background work, one loop per process (any number of replicas):
 * fan out due broadcasts, publish new notifications and alerts to live subscribers, and start due
 * deliveries. Every step claims its rows with `FOR UPDATE SKIP LOCKED`, so replicas share the work
 * and never do the same row twice. The loop wakes on every commit of this service's rows and polls
 * for what becomes due by time (scheduled broadcasts, quiet hours, retry-after).
 */
export class Dispatcher implements Worker {
  readonly name = 'dispatcher';
  private readonly loop: WorkLoop;

  constructor(private readonly opts: DispatcherOptions) {
    this.loop = new WorkLoop('notifications dispatcher', () => this.round(), opts.pollIntervalMs, opts.log);
    opts.worker.onIdleSlot = () => this.loop.kick();
    const relevant = new Set<unknown>([Notification, Delivery, Alert, Broadcast]);
    // A flush inside an explicit transaction happens before its commit: kick again on the commit
    // that follows, but only when rows of ours were written (or this loop would wake itself).
    let written = false;
    opts.orm.em.getEventManager().registerSubscriber({
      afterFlush: (args) => {
        if (!args.uow.getChangeSets().some((cs) => relevant.has(cs.entity.constructor))) return;
        written = true;
        this.kick();
      },
      afterTransactionCommit: () => {
        if (!written) return;
        written = false;
        this.kick();
      },
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Asks for a round soon (after the current one). */
  kick(): void {
    setImmediate(() => this.loop.kick());
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.opts.worker.stop();
  }

  /** One round; true when a step hit its batch size (more may be waiting). */
  async round(): Promise<boolean> {
    const broadcasts = await this.fanOutBroadcast();
    const announced = await this.announce();
    const deliveries = await this.opts.worker.claimAndStart();
    return broadcasts || announced || deliveries;
  }

  /** Fans out one due broadcast in one transaction; true when one was sent. */
  async fanOutBroadcast(): Promise<boolean> {
    const em = this.opts.orm.em.fork() as EntityManager;
    return em.transactional(async (tx) => {
      const due = await tx.execute<{ id: string }[]>(
        `select "id" from "broadcast" where "status" = 'SCHEDULED' and "scheduled_at" <= now()
         order by "scheduled_at", "id" limit 1 for update skip locked`,
      );
      if (due.length === 0) return false;
      const b = await tx.findOneOrFail(Broadcast, { id: due[0]!.id });
      const circle =
        b.nearLat !== null && b.nearLng !== null && b.nearRadiusKm !== null
          ? { lat: b.nearLat, lng: b.nearLng, radiusKm: b.nearRadiusKm }
          : null;
      const ids = await recipientsInCircle(tx, circle);
      await createNotifications(
        tx,
        ids.map((recipientId) => ({
          recipientId,
          category: b.category,
          title: b.title,
          body: b.body,
          broadcastId: b.id,
          data: { broadcastId: b.id },
          channels: b.channels ?? undefined,
        })),
      );
      b.status = BroadcastStatus.SENT;
      b.sentAt = new Date();
      b.recipientCount = ids.length;
      this.opts.log.info({ broadcastId: b.id, recipients: ids.length }, 'broadcast sent');
      return true;
    });
  }

  /** Publishes not-yet-announced notifications and alerts; true when a batch was full. */
  async announce(): Promise<boolean> {
    const em = this.opts.orm.em.fork() as EntityManager;
    const notifications = await em.execute<{ id: string; recipient_id: string }[]>(
      `update "notification" set "announced_at" = now() where "id" in (
         select "id" from "notification" where "announced_at" is null order by "created_at", "id" limit ? for update skip locked)
       returning "id", "recipient_id"`,
      [BATCH],
    );
    for (const n of notifications)
      this.opts.pubsub.publish(TOPICS.NOTIFICATION_RECEIVED, { id: n.id, recipientId: n.recipient_id });
    const alerts = await em.execute<{ id: string; lat: number | null; lng: number | null }[]>(
      `update "alert" set "announced_at" = now() where "id" in (
         select "id" from "alert" where "announced_at" is null order by "raised_at", "id" limit ? for update skip locked)
       returning "id", "lat", "lng"`,
      [BATCH],
    );
    for (const a of alerts) this.opts.pubsub.publish(TOPICS.ALERT_RAISED, { id: a.id, lat: a.lat, lng: a.lng });
    return notifications.length === BATCH || alerts.length === BATCH;
  }
}
