import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { BadUserInputError, check, requireUser, type RequestContext } from '@supergraph/kit';
import { Recipient } from '../entities/recipient.entity';
import { isValidTimeZone, parseClock } from '../directory/quiet-hours';
import { upsertRecipient } from '../directory/recipient.directory';
import type { NotificationsLoaders } from '../loaders/notification.loader';
import {
  NotificationPreferences,
  NotificationPreferencesInput,
  PushSubscriptionInput,
} from '../types/preferences.types';
import { toPreferences } from './preferences.mapper';
import type { ResolverServices } from './services';

type Ctx = RequestContext<NotificationsLoaders>;

/**
 * The signed-in user's directory row, created when missing. The role comes from the identity the
 * router vouched for, so accounts that existed before this service (like the seeded ADMIN) are
 * known with their role as soon as they use it.
 */
async function ownRecipient(ctx: Ctx): Promise<Recipient> {
  const userId = requireUser(ctx);
  await upsertRecipient(ctx.em, { userId, role: ctx.identity.role ?? undefined });
  return ctx.em.findOneOrFail(Recipient, { userId }, { refresh: true });
}

function base64urlBytes(value: string, field: string, length: number): string {
  const v = value.trim();
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(v) || Buffer.from(v, 'base64url').length !== length) {
    throw new BadUserInputError(
      `${field} must be the ${length}-byte key from the browser's push subscription, base64url-encoded.`,
      field,
    );
  }
  return v;
}

/** Changing how and when the signed-in user is notified. */
@Resolver()
export class PreferencesResolver {
  constructor(
    private readonly services: Pick<ResolverServices, 'discordWebhookPrefixes' | 'allowInsecurePushEndpoints'>,
  ) {}

  @Mutation(() => NotificationPreferences, {
    description: "Changes the signed-in user's notification preferences; omitted fields stay as they are.",
  })
  async updateNotificationPreferences(
    @Arg('input', () => NotificationPreferencesInput) input: NotificationPreferencesInput,
    @Ctx() ctx: Ctx,
  ): Promise<NotificationPreferences> {
    requireUser(ctx);
    const changes: Partial<Recipient> = {};
    if (input.channels !== undefined) {
      if (!input.channels?.length)
        throw new BadUserInputError(
          'input.channels must name at least one channel (IN_APP keeps the inbox only).',
          'input.channels',
        );
      changes.channels = [...new Set(input.channels)];
    }
    if (input.alertRadiusKm !== undefined) {
      if (input.alertRadiusKm === null)
        throw new BadUserInputError('input.alertRadiusKm cannot be removed; give 0.1 to 100.', 'input.alertRadiusKm');
      changes.alertRadiusKm = check.number(input.alertRadiusKm, 'input.alertRadiusKm', 0.1, 100);
    }
    if (input.homeLocation !== undefined) {
      const p = input.homeLocation === null ? null : check.location(input.homeLocation, 'input.homeLocation');
      changes.homeLat = p?.lat ?? null;
      changes.homeLng = p?.lng ?? null;
    }
    if (input.quietHours !== undefined) {
      const q = input.quietHours;
      if (q === null) Object.assign(changes, { quietStart: null, quietEnd: null, quietTimezone: null });
      else {
        if (parseClock(q.start) === null)
          throw new BadUserInputError(
            'input.quietHours.start must be a time "HH:MM" (00:00–23:59).',
            'input.quietHours.start',
          );
        if (parseClock(q.end) === null)
          throw new BadUserInputError(
            'input.quietHours.end must be a time "HH:MM" (00:00–23:59).',
            'input.quietHours.end',
          );
        if (q.start === q.end)
          throw new BadUserInputError('input.quietHours.end must differ from start.', 'input.quietHours.end');
        if (!isValidTimeZone(q.timezone.trim()))
          throw new BadUserInputError(
            'input.quietHours.timezone must be an IANA time zone such as "Europe/Paris".',
            'input.quietHours.timezone',
          );
        Object.assign(changes, { quietStart: q.start, quietEnd: q.end, quietTimezone: q.timezone.trim() });
      }
    }
    const r = await ownRecipient(ctx);
    Object.assign(r, changes);
    await ctx.em.flush();
    return toPreferences(r, await ctx.loaders.pushCountByUserId.load(r.userId));
  }

  @Mutation(() => NotificationPreferences, {
    description:
      'Registers a browser for Web Push messages (PushSubscription.toJSON(): endpoint, keys.p256dh, keys.auth).',
  })
  async registerPushSubscription(
    @Arg('input', () => PushSubscriptionInput) input: PushSubscriptionInput,
    @Ctx() ctx: Ctx,
  ): Promise<NotificationPreferences> {
    const endpoint = check.text(input.endpoint, 'input.endpoint', { max: 2000 });
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new BadUserInputError('input.endpoint must be the push service URL.', 'input.endpoint');
    }
    if (url.protocol !== 'https:' && !(this.services.allowInsecurePushEndpoints && url.protocol === 'http:')) {
      throw new BadUserInputError('input.endpoint must be an https URL.', 'input.endpoint');
    }
    const p256dh = base64urlBytes(input.p256dh, 'input.p256dh', 65);
    const auth = base64urlBytes(input.auth, 'input.auth', 16);
    const r = await ownRecipient(ctx);
    // One browser subscription belongs to whoever registered it last.
    await ctx.em.execute(
      `insert into "push_subscription" ("id", "user_id", "endpoint", "p256dh", "auth", "created_at") values (gen_random_uuid(), ?, ?, ?, ?, now())
       on conflict ("endpoint") do update set "user_id" = excluded."user_id", "p256dh" = excluded."p256dh", "auth" = excluded."auth"`,
      [r.userId, endpoint, p256dh, auth],
    );
    ctx.loaders.pushCountByUserId.clear(r.userId);
    return toPreferences(r, await ctx.loaders.pushCountByUserId.load(r.userId));
  }

  @Mutation(() => Boolean, {
    description: "Stops Web Push messages to one of the signed-in user's browsers; false when it was not registered.",
  })
  async removePushSubscription(@Arg('endpoint', () => String) endpoint: string, @Ctx() ctx: Ctx): Promise<boolean> {
    const userId = requireUser(ctx);
    const rows = await ctx.em.execute<{ id: string }[]>(
      `delete from "push_subscription" where "user_id" = ? and "endpoint" = ? returning "id"`,
      [userId, endpoint],
    );
    return rows.length > 0;
  }

  @Mutation(() => NotificationPreferences, {
    description: 'Links (or with null, unlinks) the Telegram chat the bot sends to: a numeric chat id or @channelname.',
  })
  async setTelegramChatId(
    @Arg('chatId', () => String, { nullable: true }) chatId: string | null,
    @Ctx() ctx: Ctx,
  ): Promise<NotificationPreferences> {
    const value = chatId?.trim() || null;
    if (value !== null && !/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/.test(value)) {
      throw new BadUserInputError('chatId must be a numeric Telegram chat id or an @channelname.', 'chatId');
    }
    const r = await ownRecipient(ctx);
    r.telegramChatId = value;
    await ctx.em.flush();
    return this.preferences(ctx, r);
  }

  @Mutation(() => NotificationPreferences, {
    description: 'Sets (or with null, removes) the Discord webhook URL messages are posted to.',
  })
  async setDiscordWebhook(
    @Arg('url', () => String, { nullable: true }) url: string | null,
    @Ctx() ctx: Ctx,
  ): Promise<NotificationPreferences> {
    const value = url?.trim() || null;
    if (
      value !== null &&
      (value.length > 500 ||
        !this.services.discordWebhookPrefixes.some((p) => value.startsWith(p) && value.length > p.length))
    ) {
      throw new BadUserInputError(
        'url must be a Discord webhook URL (https://discord.com/api/webhooks/<id>/<token>).',
        'url',
      );
    }
    const r = await ownRecipient(ctx);
    r.discordWebhookUrl = value;
    await ctx.em.flush();
    return this.preferences(ctx, r);
  }

  private async preferences(ctx: Ctx, r: Recipient): Promise<NotificationPreferences> {
    return toPreferences(r, await ctx.loaders.pushCountByUserId.load(r.userId));
  }
}
