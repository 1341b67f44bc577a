import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UUID } from '@supergraph/kit';
import { Alert } from '../entities/alert.entity';
import { Delivery } from '../entities/delivery.entity';
import { Notification } from '../entities/notification.entity';
import { Recipient } from '../entities/recipient.entity';

/** Per-request loaders of the notifications subgraph; each batches a tick's keys into one query. */
export interface NotificationsLoaders {
  /** Notifications by id in key order, null for unknown ids. */
  notificationById: DataLoader<string, Notification | null>;
  /** Deliveries of each notification, in channel order. */
  deliveriesByNotificationId: DataLoader<string, Delivery[]>;
  /** Directory rows (contact and preferences) by user id, null when unknown. */
  recipientById: DataLoader<string, Recipient | null>;
  /** Number of push subscriptions per user id. */
  pushCountByUserId: DataLoader<string, number>;
  alertById: DataLoader<string, Alert | null>;
  /** The alert raised for each case (at most one), as a list. */
  alertsByCaseId: DataLoader<string, Alert[]>;
}

const valid = (ids: readonly string[]) => ids.filter((id) => UUID.test(id));

function byKey<T, K>(ids: readonly string[], rows: T[], key: (row: T) => K & string): (T | null)[] {
  const map = new Map(rows.map((r) => [key(r), r]));
  return ids.map((id) => map.get(id as K & string) ?? null);
}

function grouped<T>(ids: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const map = new Map<string, T[]>();
  for (const r of rows) map.set(key(r), [...(map.get(key(r)) ?? []), r]);
  return ids.map((id) => map.get(id) ?? []);
}

/** Fresh loaders bound to one request's EntityManager. */
export function createLoaders({ em }: { em: EntityManager }): NotificationsLoaders {
  return {
    notificationById: new DataLoader(async (ids) => {
      const ok = valid(ids);
      return byKey(ids, ok.length ? await em.find(Notification, { id: { $in: ok } }) : [], (n) => n.id);
    }),
    deliveriesByNotificationId: new DataLoader(async (ids) => {
      const rows = await em.find(Delivery, { notification: { $in: [...ids] } }, { orderBy: { channel: 'asc' } });
      return grouped(ids, rows, (d) => d.notification.id);
    }),
    recipientById: new DataLoader(async (ids) => {
      const ok = valid(ids);
      return byKey(ids, ok.length ? await em.find(Recipient, { userId: { $in: ok } }) : [], (r) => r.userId);
    }),
    pushCountByUserId: new DataLoader(async (ids) => {
      const ok = valid(ids);
      const rows = ok.length
        ? await em.execute<{ user_id: string; n: number }[]>(
            `select "user_id", count(*)::int as "n" from "push_subscription" where "user_id" in (${ok.map(() => '?').join(', ')}) group by "user_id"`,
            ok,
          )
        : [];
      const counts = new Map(rows.map((r) => [r.user_id, Number(r.n)]));
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    alertById: new DataLoader(async (ids) => {
      const ok = valid(ids);
      return byKey(ids, ok.length ? await em.find(Alert, { id: { $in: ok } }) : [], (a) => a.id);
    }),
    alertsByCaseId: new DataLoader(async (ids) => {
      const ok = valid(ids);
      return grouped(ids, ok.length ? await em.find(Alert, { caseId: { $in: ok } }) : [], (a) => a.caseId);
    }),
  };
}
