import { defineConsumer, type Consumer, type Emit, type Logger } from '@supergraph/kit';
import { DEMO_GARDENS } from '../seed/demo-garden.data';
import { claimDemoSeeding, plantDemoGarden } from '../seed/demo-garden.seeder';

/** What the known-user consumer needs. */
export interface KnownUserConsumerDeps {
  /** Plant the demo gardens of demo accounts when they become known (demo mode). */
  seed: boolean;
  emit: Emit;
  log: Logger;
}

/**
 * Keeps `known_user` current from `user.registered` and `user.updated` (idempotent through
 * processed_event), keeping the newest copy by event time. In demo mode it then plants the demo
 * garden of a demo account, once per user, in the same transaction.
 */
export function knownUserConsumer(deps: KnownUserConsumerDeps): Consumer {
  return defineConsumer({
    types: ['user.registered', 'user.updated'],
    async handle(em, envelope) {
      const { userId, email, displayName } = envelope.payload;
      await em.execute(
        `insert into "known_user" ("id", "email", "display_name", "updated_at") values (?, ?, ?, ?)
         on conflict ("id") do update set "email" = excluded."email", "display_name" = excluded."display_name", "updated_at" = excluded."updated_at"
         where "known_user"."updated_at" <= excluded."updated_at"`,
        [userId, email.toLowerCase(), displayName.slice(0, 50), new Date(envelope.occurredAt)],
      );
      if (!deps.seed) return;
      if (!DEMO_GARDENS[email.toLowerCase()] || !(await claimDemoSeeding(em, userId))) return;
      const planted = await plantDemoGarden(em, deps.emit, userId, email, envelope.correlationId);
      deps.log.debug({ userId, planted }, 'planted the demo garden of a demo account');
    },
  });
}
