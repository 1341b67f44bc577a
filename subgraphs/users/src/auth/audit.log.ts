import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent, type AuditEventType } from '../entities/audit-event.entity';

/** Adds an audit line to the unit of work (flushed with the change it records). */
export function audit(
  em: EntityManager,
  type: AuditEventType,
  fields: {
    userId?: string | null;
    actorId?: string | null;
    email?: string | null;
    correlationId?: string;
    detail?: Record<string, unknown>;
  },
): AuditEvent {
  return em.create(AuditEvent, {
    type,
    userId: fields.userId ?? null,
    actorId: fields.actorId ?? null,
    email: fields.email ?? null,
    correlationId: fields.correlationId ?? null,
    detail: fields.detail ?? {},
    createdAt: new Date(),
  });
}
