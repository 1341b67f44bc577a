import { consume, type EventBus, type EventSubscription, type Logger } from '@supergraph/kit';
import type { MikroORM } from '@mikro-orm/core';
import { DEMO_GARDENS } from '../seed/demo-garden.data';
import { claimDemoSeeding, plantDemoGarden } from '../seed/demo-garden.seeder';

/** What the users-events consumer needs. */
export interface UserConsumerOptions {
  /** Plant the demo gardens of demo accounts when they become known (demo mode). */
  seedDemo: boolean;
  log: Logger;
}

/**
 * Consumes `user.registered` and `user.updated` (group `plants`, idempotent through
 * processed_event) into `known_user`, keeping the newest copy by event time. In demo mode it then
 * plants the demo garden of a demo account, once per user, in the same transaction.
 */
export function startUserConsumer(orm: MikroORM, bus: EventBus, opts: UserConsumerOptions): Promise<EventSubscription> {
  return consume(orm, bus, {
    consumer: 'plants',
    types: ['user.registered', 'user.updated'],
    async handle(em, envelope) {
      const { userId, email, displayName } = envelope.payload;
      await em.execute(
        `insert into "known_user" ("id", "email", "display_name", "updated_at") values (?, ?, ?, ?)
         on conflict ("id") do update set "email" = excluded."email", "display_name" = excluded."display_name", "updated_at" = excluded."updated_at"
         where "known_user"."updated_at" <= excluded."updated_at"`,
        [userId, email.toLowerCase(), displayName.slice(0, 50), new Date(envelope.occurredAt)],
      );
      if (!opts.seedDemo) return;
      if (!DEMO_GARDENS[email.toLowerCase()] || !(await claimDemoSeeding(em, userId))) return;
      const planted = await plantDemoGarden(em, userId, email, envelope.correlationId);
      opts.log.debug({ userId, planted }, 'planted the demo garden of a demo account');
    },
  });
}
