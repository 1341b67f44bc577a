import type { EntityManager } from '@mikro-orm/postgresql';
import { defineConsumer, type Consumer, type Emit, type Logger } from '@supergraph/kit';
import { KnownUser } from '../entities/known-user.entity';
import type { Geocoder } from '../geocoding';
import { seedDemoCasesOnce } from '../seed/demo-cases.seed';

/** The demo accounts the users subgraph seeds; the first of them (or any ADMIN) to become known gets the demo cases. */
export const DEMO_REPORTER_EMAILS: readonly string[] = [
  'ana@example.com',
  'ben@example.com',
  'chloe@example.com',
  'dev@example.com',
];

/** What the known-user consumer needs. */
export interface KnownUserConsumerDeps {
  /** Create the demo cases once the first ADMIN or demo user is known (demo mode). */
  seed: boolean;
  geocoder: Geocoder;
  emit: Emit;
  log: Logger;
}

/**
 * Keeps `known_user` current from `user.registered` and `user.updated` (idempotently: each event
 * is applied once, in the transaction that records it as processed). With `seed` on, the first
 * ADMIN or demo user it learns of becomes the reporter of the demo cases, which are created once.
 * Cases never reads the users database, so this is how it learns a real account id.
 */
export function knownUserConsumer(deps: KnownUserConsumerDeps): Consumer {
  return defineConsumer({
    types: ['user.registered', 'user.updated'],
    async handle(em: EntityManager, envelope) {
      const { userId, email, displayName } = envelope.payload;
      const role = envelope.type === 'user.updated' ? envelope.payload.role : undefined;
      const known =
        (await em.findOne(KnownUser, { id: userId })) ?? em.create(KnownUser, { id: userId, email, displayName });
      known.email = email.toLowerCase();
      known.displayName = displayName;
      if (role !== undefined) known.role = role;
      known.updatedAt = new Date();
      await em.flush();
      if (deps.seed && (known.role === 'ADMIN' || DEMO_REPORTER_EMAILS.includes(known.email))) {
        const created = await seedDemoCasesOnce(em, deps, userId, envelope.correlationId);
        if (created > 0) deps.log.debug({ reporterId: userId, created }, 'seeded the demo cases');
      }
    },
  });
}
