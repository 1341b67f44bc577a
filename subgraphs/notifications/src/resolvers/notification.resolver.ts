import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import {
  NotFoundError,
  check,
  requireUser,
  UnauthenticatedError,
  type Emit,
  type RequestContext,
} from '@supergraph/kit';
import { Delivery } from '../entities/delivery.entity';
import { NotificationCategory } from '../entities/enums';
import { Notification } from '../entities/notification.entity';
import type { NotificationsLoaders } from '../loaders/notification.loader';
import { TOPICS } from '../live.topics';
import { CaseRef } from '../types/refs.types';
import { livePubSub } from './services';

type Ctx = RequestContext<NotificationsLoaders>;

/** The signed-in user's own notification, or NOT_FOUND (another user's is indistinguishable from none). */
export async function ownNotification(ctx: Ctx, id: string, field = 'id'): Promise<Notification> {
  const userId = requireUser(ctx);
  const n = await ctx.loaders.notificationById.load(check.id(id, field));
  if (!n || n.recipientId !== userId) throw new NotFoundError('Notification', id);
  return n;
}

/** Reading one notification, marking it opened/acted/dismissed, and the live feed of new ones. */
@Resolver(() => Notification)
export class NotificationResolver {
  constructor(private readonly emit: Emit) {}

  @Query(() => Notification, { description: "One of the signed-in user's notifications; NOT_FOUND for anyone else's." })
  notification(@Arg('id', () => ID) id: string, @Ctx() ctx: Ctx): Promise<Notification> {
    return ownNotification(ctx, id);
  }

  @Mutation(() => Notification, {
    description:
      "Marks the signed-in user's notification opened (the first time counts) and emits notification.opened.",
  })
  async markNotificationOpened(@Arg('id', () => ID) id: string, @Ctx() ctx: Ctx): Promise<Notification> {
    const n = await ownNotification(ctx, id);
    if (!n.openedAt) {
      n.openedAt = new Date();
      this.record(ctx, 'notification.opened', n);
      await ctx.em.flush();
    }
    return n;
  }

  @Mutation(() => Notification, {
    description: "Marks the signed-in user's notification acted upon (and opened) and emits notification.acted.",
  })
  async markNotificationActed(@Arg('id', () => ID) id: string, @Ctx() ctx: Ctx): Promise<Notification> {
    const n = await ownNotification(ctx, id);
    if (!n.actedAt) {
      const now = new Date();
      if (!n.openedAt) {
        n.openedAt = now;
        this.record(ctx, 'notification.opened', n);
      }
      n.actedAt = now;
      this.record(ctx, 'notification.acted', n);
      await ctx.em.flush();
    }
    return n;
  }

  @Mutation(() => Notification, {
    description: "Dismisses the signed-in user's notification: it no longer counts as unread.",
  })
  async dismissNotification(@Arg('id', () => ID) id: string, @Ctx() ctx: Ctx): Promise<Notification> {
    const n = await ownNotification(ctx, id);
    if (!n.dismissedAt) {
      n.dismissedAt = new Date();
      await ctx.em.flush();
    }
    return n;
  }

  @FieldResolver(() => [Delivery], { description: 'One entry per channel, with its status.' })
  deliveries(@Root() n: Notification, @Ctx() ctx: Ctx): Promise<Delivery[]> {
    return ctx.loaders.deliveriesByNotificationId.load(n.id);
  }

  @FieldResolver(() => Boolean, { description: 'True once opened or dismissed.' })
  read(@Root() n: Notification): boolean {
    return Boolean(n.openedAt || n.dismissedAt);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Link into the app (null for SECURITY messages, whose link is secret and sent by e-mail only).',
  })
  url(@Root() n: Notification): string | null {
    return n.category === NotificationCategory.SECURITY ? null : n.url;
  }

  @FieldResolver(() => CaseRef, { nullable: true, description: 'The missing-child case it is about, if any.' })
  case(@Root() n: Notification): CaseRef | null {
    return n.caseId ? { id: n.caseId } : null;
  }

  @Subscription(() => Notification, {
    description: 'Every notification created for the signed-in user, as it is created. UNAUTHENTICATED when anonymous.',
    subscribe: async ({ context }) => {
      const userId = (context as Ctx).identity.userId;
      if (!userId) throw new UnauthenticatedError('Sign in to receive your notifications.');
      return livePubSub().subscribeWhere<{ recipientId: string }>(
        TOPICS.NOTIFICATION_RECEIVED,
        (p) => p.recipientId === userId,
      );
    },
  })
  async notificationReceived(@Root() payload: { id: string }, @Ctx() ctx: Ctx): Promise<Notification> {
    // A fresh fork per event: a subscription's context lives as long as the subscription.
    const n = await ctx.em.fork().findOne(Notification, { id: payload.id });
    if (!n) throw new NotFoundError('Notification', payload.id);
    return n;
  }

  private record(ctx: Ctx, type: 'notification.opened' | 'notification.acted', n: Notification): void {
    this.emit(
      ctx.em,
      type,
      { notificationId: n.id, recipientId: n.recipientId, category: n.category },
      { correlationId: ctx.correlationId },
    );
  }
}
