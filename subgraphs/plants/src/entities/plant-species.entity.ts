import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { HUMIDITY_LEVELS, LIGHT_LEVELS, type HumidityLevel, type LightLevel } from '../seed/species.types';

/** GraphQL enum of {@link LIGHT_LEVELS}; values are the catalog's strings. */
export const Light = Object.fromEntries(LIGHT_LEVELS.map((l) => [l, l])) as { [K in LightLevel]: K };
registerEnumType(Light, {
  name: 'LightLevel',
  description: 'Light a species prefers: LOW (dim interiors) to DIRECT (an unshaded sunny window).',
});

/** GraphQL enum of {@link HUMIDITY_LEVELS}. */
export const Humidity = Object.fromEntries(HUMIDITY_LEVELS.map((h) => [h, h])) as { [K in HumidityLevel]: K };
registerEnumType(Humidity, {
  name: 'HumidityLevel',
  description:
    'Air humidity a species prefers: LOW (dry rooms are fine), MEDIUM (a typical home), HIGH (about 60 % or more).',
});

/**
 * A house-plant species of the catalog: reference data seeded from `seed/species.data.ts` on every
 * start (idempotent by scientific name) and extended by ADMINs. Common and scientific names are
 * unique regardless of case.
 */
@ObjectType({ description: 'A house-plant species with its general indoor care profile.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'plant_species' })
@Index({
  name: 'plant_species_scientific_name_lower_unique',
  expression:
    'create unique index if not exists "plant_species_scientific_name_lower_unique" on "plant_species" (lower("scientific_name"))',
})
@Index({
  name: 'plant_species_common_name_lower_unique',
  expression:
    'create unique index if not exists "plant_species_common_name_lower_unique" on "plant_species" (lower("common_name"))',
})
export class PlantSpecies {
  [OptionalProps]?: 'id' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String, { description: "Everyday name, e.g. 'Snake plant'." })
  @Property({ type: 'string', length: 60 })
  commonName!: string;

  @Field(() => String, { description: "Accepted botanical binomial, e.g. 'Dracaena trifasciata'." })
  @Property({ type: 'string', length: 80 })
  scientificName!: string;

  @Field(() => String, { description: "Botanical family, e.g. 'Asparagaceae'." })
  @Property({ type: 'string', length: 40 })
  family!: string;

  @Field(() => Int, { description: 'Typical days between waterings indoors (2–30); a plant may override it.' })
  @Property({ type: 'integer' })
  wateringIntervalDays!: number;

  @Field(() => Light, { description: 'Preferred light.' })
  @Enum({ items: () => [...LIGHT_LEVELS], type: 'string' })
  light!: LightLevel;

  @Field(() => Humidity, { description: 'Preferred air humidity.' })
  @Enum({ items: () => [...HUMIDITY_LEVELS], type: 'string' })
  humidity!: HumidityLevel;

  @Field(() => Int, { description: 'Lowest comfortable temperature in °C.' })
  @Property({ type: 'integer' })
  minTempC!: number;

  @Field(() => Int, { description: 'Highest comfortable temperature in °C.' })
  @Property({ type: 'integer' })
  maxTempC!: number;

  @Field(() => Boolean, { description: 'True when commonly listed as toxic to cats or dogs.' })
  @Property({ type: 'boolean' })
  toxicToPets!: boolean;

  @Field(() => String, { description: 'One or two sentences of practical care advice.' })
  @Property({ type: 'string', length: 500 })
  careNotes!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
