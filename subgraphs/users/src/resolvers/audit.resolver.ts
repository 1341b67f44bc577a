import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import {
  ConnectionType,
  check,
  decodeCursor,
  pageSize,
  requireAdmin,
  toConnection,
  type Connection,
  type RequestContext,
} from '@supergraph/kit';
import { AuditEvent, AuditEventType } from '../entities/audit-event.entity';

const AuditEventConnection = ConnectionType(AuditEvent, 'AuditEvent');

/** The audit log of authentication events, for ADMINs. */
@Resolver()
export class AuditResolver {
  @Query(() => AuditEventConnection, {
    description: 'ADMIN only: audit events, newest first, optionally for one user or type.',
  })
  async auditLog(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('userId', () => ID, { nullable: true }) userId?: string,
    @Arg('type', () => AuditEventType, { nullable: true }) type?: AuditEventType,
  ): Promise<Connection<AuditEvent>> {
    requireAdmin(ctx);
    const size = pageSize(first, 50, 200);
    const cursor = decodeCursor(after);
    const where = { ...(userId ? { userId: check.id(userId, 'userId') } : {}), ...(type ? { type } : {}) };
    const position = cursor
      ? {
          $or: [
            { createdAt: { $lt: new Date(cursor.value) } },
            { createdAt: new Date(cursor.value), id: { $lt: cursor.id } },
          ],
        }
      : {};
    const rows = await ctx.em.find(
      AuditEvent,
      { $and: [where, position] },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: size + 1 },
    );
    const total = () => ctx.em.count(AuditEvent, where); // counted only when totalCount is selected
    return toConnection(rows, size, total, (e) => ({ value: e.createdAt.toISOString(), id: e.id }));
  }
}
