import { Field, Float, ID, InputType, Int } from 'type-graphql';

/** A plant to add to the signed-in user's home. */
@InputType({ description: "A plant to add to the signed-in user's home." })
export class AddPlantInput {
  @Field(() => ID, { description: 'The species, from `plantSpecies`.' })
  speciesId!: string;

  @Field(() => String, { description: 'What you call it, 1–60 characters.' })
  nickname!: string;

  @Field(() => String, { nullable: true, description: "Where it stands, up to 60 characters, e.g. 'Kitchen shelf'." })
  location?: string | null;

  @Field(() => Date, { nullable: true, description: 'When you got it; not in the future.' })
  acquiredAt?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Days between waterings for this plant (1–365); omit to follow the species.',
  })
  wateringIntervalDays?: number | null;
}

/** Plant fields to change; omitted fields stay as they are, null clears an optional one. */
@InputType({ description: 'Plant fields to change; omitted fields stay as they are, null clears an optional one.' })
export class UpdatePlantInput {
  @Field(() => ID, { nullable: true, description: 'Another species from the catalog.' })
  speciesId?: string | null;

  @Field(() => String, { nullable: true, description: '1–60 characters; cannot be cleared.' })
  nickname?: string | null;

  @Field(() => String, { nullable: true, description: 'Up to 60 characters; null or empty clears it.' })
  location?: string | null;

  @Field(() => Date, { nullable: true, description: 'Not in the future; null clears it.' })
  acquiredAt?: Date | null;

  @Field(() => Int, { nullable: true, description: "1–365 days; null goes back to the species' interval." })
  wateringIntervalDays?: number | null;
}

/** A growth-journal entry; at least one of the fields must be given. */
@InputType({ description: 'A growth-journal entry: at least one of heightCm, leafCount, note.' })
export class GrowthInput {
  @Field(() => Float, { nullable: true, description: 'Height in centimetres, 0–2000.' })
  heightCm?: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of leaves, 0–10000.' })
  leafCount?: number | null;

  @Field(() => String, { nullable: true, description: 'A note, up to 500 characters.' })
  note?: string | null;
}
