import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { Channel, GeoPoint, GeoPointInput } from '@supergraph/kit';

/** Quiet hours as the API shows them. */
@ObjectType({
  description:
    'A daily window in which only ALERT and SECURITY messages are sent right away; the rest wait until it ends.',
})
export class QuietHours {
  @Field(() => String, { description: 'Local start time, "HH:MM" (24-hour).' })
  start!: string;

  @Field(() => String, {
    description: 'Local end time, "HH:MM"; may be earlier than start (the window spans midnight).',
  })
  end!: string;

  @Field(() => String, { description: 'IANA time zone, e.g. "Europe/Paris".' })
  timezone!: string;
}

/** How and when a person wants to be told things. */
@ObjectType({ description: 'How and when the signed-in user wants to be notified.' })
export class NotificationPreferences {
  @Field(() => [Channel], { description: "Channels used for this user's notifications." })
  channels!: Channel[];

  @Field(() => Float, {
    description: 'Missing-child alerts reach this user when a case is reported within this many km of home (0.1–100).',
  })
  alertRadiusKm!: number;

  @Field(() => GeoPoint, { nullable: true, description: 'Home location; no location alerts without it.' })
  homeLocation!: GeoPoint | null;

  @Field(() => QuietHours, { nullable: true })
  quietHours!: QuietHours | null;

  @Field(() => Boolean, { description: 'True when a Telegram chat id is registered.' })
  telegramLinked!: boolean;

  @Field(() => Boolean, { description: 'True when a Discord webhook is registered.' })
  discordLinked!: boolean;

  @Field(() => Int, { description: 'How many browsers receive Web Push messages.' })
  pushSubscriptionCount!: number;
}

/** Quiet hours as a client sets them. */
@InputType({ description: 'Quiet hours: local "HH:MM" start and end in an IANA time zone.' })
export class QuietHoursInput {
  @Field(() => String, { description: 'Local start time, "HH:MM" (24-hour; at most 5 characters).' })
  start!: string;

  @Field(() => String, { description: 'Local end time, "HH:MM" (at most 5 characters); may be earlier than start.' })
  end!: string;

  @Field(() => String, { description: 'IANA time zone, e.g. "Europe/Paris" (at most 64 characters).' })
  timezone!: string;
}

/** Changes to the preferences; an omitted field stays as it is, null clears it. */
@InputType({
  description: 'Changes to notification preferences: omitted fields stay, null clears homeLocation/quietHours.',
})
export class NotificationPreferencesInput {
  @Field(() => [Channel], { nullable: true, description: 'At least one channel.' })
  channels?: Channel[] | null;

  @Field(() => Float, { nullable: true, description: '0.1 to 100 km.' })
  alertRadiusKm?: number | null;

  @Field(() => GeoPointInput, { nullable: true })
  homeLocation?: GeoPointInput | null;

  @Field(() => QuietHoursInput, { nullable: true })
  quietHours?: QuietHoursInput | null;
}

/** A browser's Web Push subscription (PushSubscription.toJSON()). */
@InputType({ description: 'A Web Push subscription as the browser returns it: endpoint and keys.' })
export class PushSubscriptionInput {
  @Field(() => String, { description: 'The push service URL, at most 2000 characters.' })
  endpoint!: string;

  @Field(() => String, { description: 'keys.p256dh (base64url, at most 200 characters).' })
  p256dh!: string;

  @Field(() => String, { description: 'keys.auth (base64url, at most 100 characters).' })
  auth!: string;
}
