import { Field, InputType, Int } from 'type-graphql';
import { Humidity, Light } from '../entities/plant-species.entity';
import type { HumidityLevel, LightLevel } from '../seed/species.types';

/** A new catalog species (ADMIN); checked with the catalog's own rules (`validateSpecies`). */
@InputType({ description: 'A new catalog species; the same rules as the seeded catalog apply.' })
export class PlantSpeciesInput {
  @Field(() => String, { description: '2–60 characters, unique in the catalog.' })
  commonName!: string;

  @Field(() => String, { description: "A binomial like 'Monstera deliciosa', 5–80 characters, unique in the catalog." })
  scientificName!: string;

  @Field(() => String, { description: "A botanical family name like 'Araceae', 5–40 characters." })
  family!: string;

  @Field(() => Int, { description: 'Typical days between waterings, 2–30.' })
  wateringIntervalDays!: number;

  @Field(() => Light)
  light!: LightLevel;

  @Field(() => Humidity)
  humidity!: HumidityLevel;

  @Field(() => Int, { description: 'Lowest comfortable °C, -10–30.' })
  minTempC!: number;

  @Field(() => Int, { description: 'Highest comfortable °C, 10–45, above minTempC.' })
  maxTempC!: number;

  @Field(() => Boolean)
  toxicToPets!: boolean;

  @Field(() => String, { description: 'Care advice, 10–500 characters.' })
  careNotes!: string;
}

/** Species fields to change (ADMIN); omitted fields stay as they are. */
@InputType({ description: 'Species fields to change; omitted fields stay as they are.' })
export class UpdatePlantSpeciesInput {
  @Field(() => String, { nullable: true, description: '2–60 characters, unique in the catalog.' })
  commonName?: string | null;

  @Field(() => String, { nullable: true, description: 'A binomial, 5–80 characters, unique in the catalog.' })
  scientificName?: string | null;

  @Field(() => String, { nullable: true, description: 'A botanical family name, 5–40 characters.' })
  family?: string | null;

  @Field(() => Int, { nullable: true, description: 'Changing it reschedules the plants that follow the species.' })
  wateringIntervalDays?: number | null;

  @Field(() => Light, { nullable: true })
  light?: LightLevel | null;

  @Field(() => Humidity, { nullable: true })
  humidity?: HumidityLevel | null;

  @Field(() => Int, { nullable: true })
  minTempC?: number | null;

  @Field(() => Int, { nullable: true })
  maxTempC?: number | null;

  @Field(() => Boolean, { nullable: true })
  toxicToPets?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Care advice, 10–500 characters.' })
  careNotes?: string | null;
}
