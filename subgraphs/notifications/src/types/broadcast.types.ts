import { Field, InputType } from 'type-graphql';
import { Channel, GeoCircleInput } from '@supergraph/kit';
import { NotificationCategory } from '../entities/enums';

/** An ADMIN's broadcast request. */
@InputType({
  description: 'A message to every user, or to those whose home is inside `near`, now or at `scheduledAt`.',
})
export class BroadcastInput {
  @Field(() => String, { description: '1–200 characters.' })
  title!: string;

  @Field(() => String, { description: '1–5000 characters.' })
  body!: string;

  @Field(() => NotificationCategory, { nullable: true, description: 'Default SYSTEM.' })
  category?: NotificationCategory | null;

  @Field(() => [Channel], { nullable: true, description: "Channels to use; default: each recipient's own choice." })
  channels?: Channel[] | null;

  @Field(() => GeoCircleInput, {
    nullable: true,
    description: 'Only users whose home location is inside this circle (radius 0.1–1000 km).',
  })
  near?: GeoCircleInput | null;

  @Field(() => Date, { nullable: true, description: 'When to send (default: now); at most a year ahead.' })
  scheduledAt?: Date | null;
}
