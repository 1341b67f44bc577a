import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Channel, BadUserInputError, check, requireAdmin, requireUser, type RequestContext } from '@supergraph/kit';
import { Broadcast } from '../entities/broadcast.entity';
import { Delivery } from '../entities/delivery.entity';
import { NotificationCategory } from '../entities/enums';
import { Notification } from '../entities/notification.entity';
import { upsertRecipient } from '../directory/recipient.directory';
import { createNotifications } from '../delivery/notification.factory';
import type { NotificationsLoaders } from '../loaders/notification.loader';
import { BroadcastInput } from '../types/broadcast.types';
import type { ResolverServices } from './services';

type Ctx = RequestContext<NotificationsLoaders>;

const YEAR_MS = 366 * 86_400_000;

/** ADMIN broadcasts and a user's test message. */
@Resolver()
export class BroadcastResolver {
  constructor(private readonly services: ResolverServices) {}

  @Mutation(() => Broadcast, {
    description:
      'ADMIN only: sends a message to every user, or to those whose home location is inside `near`, now or at `scheduledAt`.',
  })
  async broadcastNotification(
    @Arg('input', () => BroadcastInput) input: BroadcastInput,
    @Ctx() ctx: Ctx,
  ): Promise<Broadcast> {
    const adminId = requireAdmin(ctx);
    const title = check.text(input.title, 'input.title', { max: 200 });
    const body = check.text(input.body, 'input.body', { max: 5000 });
    if (input.channels !== undefined && input.channels !== null && input.channels.length === 0) {
      throw new BadUserInputError(
        "input.channels must name at least one channel, or be omitted to use each user's choice.",
        'input.channels',
      );
    }
    const near = input.near
      ? {
          ...check.location(input.near, 'input.near'),
          radiusKm: check.number(input.near.radiusKm, 'input.near.radiusKm', 0.1, 1000),
        }
      : null;
    const now = Date.now();
    const scheduledAt = input.scheduledAt ?? new Date(now);
    if (Number.isNaN(scheduledAt.getTime()))
      throw new BadUserInputError('input.scheduledAt is not a valid date.', 'input.scheduledAt');
    if (scheduledAt.getTime() < now - 5 * 60_000)
      throw new BadUserInputError('input.scheduledAt must not be in the past.', 'input.scheduledAt');
    if (scheduledAt.getTime() > now + YEAR_MS)
      throw new BadUserInputError('input.scheduledAt must be within a year.', 'input.scheduledAt');
    const b = ctx.em.create(Broadcast, {
      createdBy: adminId,
      title,
      body,
      category: input.category ?? NotificationCategory.SYSTEM,
      channels: input.channels ? [...new Set(input.channels)] : null,
      nearLat: near?.lat ?? null,
      nearLng: near?.lng ?? null,
      nearRadiusKm: near?.radiusKm ?? null,
      scheduledAt,
    });
    // The background dispatcher fans it out when due (at once when not scheduled for later).
    await ctx.em.flush();
    return b;
  }

  @Query(() => [Broadcast], { description: 'ADMIN only: the latest broadcasts, newest first.' })
  broadcasts(@Ctx() ctx: Ctx): Promise<Broadcast[]> {
    requireAdmin(ctx);
    return ctx.em.find(Broadcast, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 50 });
  }

  @Mutation(() => Notification, {
    description:
      'Sends the signed-in user a test message on one channel right away (one attempt) and returns it with the outcome: SENT, FAILED or SKIPPED with the reason.',
  })
  async sendTestNotification(@Arg('channel', () => Channel) channel: Channel, @Ctx() ctx: Ctx): Promise<Notification> {
    const userId = requireUser(ctx);
    await upsertRecipient(ctx.em, { userId, role: ctx.identity.role ?? undefined });
    const [n] = await createNotifications(ctx.em, [
      {
        recipientId: userId,
        category: NotificationCategory.SYSTEM,
        title: 'Test notification',
        body: `This is a test message on ${channel}. If you can read it, this channel works.`,
        channels: [channel],
        data: { test: true },
      },
    ]);
    await ctx.em.flush();
    const created = await ctx.em.find(Delivery, { notification: n!.id });
    await this.services.worker.deliverNow(
      created.map((d) => d.id),
      { maxAttempts: 1 },
    );
    // The worker recorded the outcome through its own connection: read it back.
    const outcome = await ctx.em.find(Delivery, { notification: n!.id }, { refresh: true });
    ctx.loaders.deliveriesByNotificationId.prime(n!.id, outcome);
    return n!;
  }
}
