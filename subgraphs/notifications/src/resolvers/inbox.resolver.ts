import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import {
  ConnectionType,
  ForbiddenError,
  decodeCursor,
  pageSize,
  requireUser,
  toConnection,
  type Connection,
  type RequestContext,
} from '@supergraph/kit';
import { Notification } from '../entities/notification.entity';
import type { NotificationsLoaders } from '../loaders/notification.loader';
import { NotificationPreferences } from '../types/preferences.types';
import { UserRef } from '../types/refs.types';
import { toPreferences } from './preferences.mapper';

type Ctx = RequestContext<NotificationsLoaders>;

const NotificationConnection = ConnectionType(Notification, 'Notification');

/** Only the user themself sees their inbox and preferences. */
function requireSelf(ctx: Ctx, user: UserRef): string {
  const userId = requireUser(ctx);
  if (userId !== user.id) throw new ForbiddenError('Only the user themself can see their notifications.');
  return userId;
}

/** The inbox and preferences this subgraph adds to User. */
@Resolver(() => UserRef)
export class InboxResolver {
  @FieldResolver(() => NotificationConnection, {
    nullable: true,
    description:
      "The user's notifications, newest first (the user only). unreadOnly: neither opened nor dismissed. Nullable so that this subgraph being unavailable leaves the rest of the user intact.",
  })
  async notifications(
    @Root() user: UserRef,
    @Ctx() ctx: Ctx,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('unreadOnly', () => Boolean, { nullable: true }) unreadOnly?: boolean,
  ): Promise<Connection<Notification>> {
    const userId = requireSelf(ctx, user);
    const size = pageSize(first);
    const cursor = decodeCursor(after);
    const where = { recipientId: userId, ...(unreadOnly ? { openedAt: null, dismissedAt: null } : {}) };
    const position = cursor
      ? {
          $or: [
            { createdAt: { $lt: new Date(cursor.value) } },
            { createdAt: new Date(cursor.value), id: { $lt: cursor.id } },
          ],
        }
      : {};
    const rows = await ctx.em.find(
      Notification,
      { $and: [where, position] },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: size + 1 },
    );
    const total = () => ctx.em.count(Notification, where); // counted only when totalCount is selected
    for (const n of rows) ctx.loaders.notificationById.prime(n.id, n);
    return toConnection(rows, size, total, (n) => ({ value: n.createdAt.toISOString(), id: n.id }));
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "How many of the user's notifications are neither opened nor dismissed (the user only). Nullable so that this subgraph being unavailable leaves the rest of the user intact.",
  })
  unreadNotificationCount(@Root() user: UserRef, @Ctx() ctx: Ctx): Promise<number> {
    const userId = requireSelf(ctx, user);
    return ctx.em.count(Notification, { recipientId: userId, openedAt: null, dismissedAt: null });
  }

  @FieldResolver(() => NotificationPreferences, {
    nullable: true,
    description:
      'How and when the user wants to be notified (the user only); defaults until changed. Nullable so that this subgraph being unavailable leaves the rest of the user intact.',
  })
  async notificationPreferences(@Root() user: UserRef, @Ctx() ctx: Ctx): Promise<NotificationPreferences> {
    const userId = requireSelf(ctx, user);
    const [recipient, pushCount] = await Promise.all([
      ctx.loaders.recipientById.load(userId),
      ctx.loaders.pushCountByUserId.load(userId),
    ]);
    return toPreferences(recipient, pushCount);
  }
}
