import { randomUUID } from 'node:crypto';
import { Entity, Enum, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import type { Revocation } from '@supergraph/kit';

/**
 * A revocation of access tokens committed with the change that causes it (the users subgraph's
 * revocation outbox), waiting for the RevocationRelay to hand it to the revocation store. The
 * relay deletes the row once the store accepted it, or once it expired (nothing left to refuse).
 */
@Entity({ tableName: 'pending_revocation' })
export class PendingRevocation {
  [OptionalProps]?: 'id' | 'generation' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** `session`: every token of the session `subjectId`; `user`: every token of the user `subjectId` below `generation`. */
  @Enum({ items: ['session', 'user'], type: 'string' })
  kind!: Revocation['kind'];

  @Property({ type: 'uuid' })
  subjectId!: string;

  @Property({ type: 'integer', nullable: true })
  generation: number | null = null;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** The revocation a row stands for, as the revocation store takes it. */
export function revocationOf(row: PendingRevocation): Revocation {
  const expiresAtMs = row.expiresAt.getTime();
  return row.kind === 'session'
    ? { kind: 'session', sessionId: row.subjectId, expiresAtMs }
    : { kind: 'user', userId: row.subjectId, generation: row.generation ?? 0, expiresAtMs };
}
