import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { PlantSpecies } from './plant-species.entity';

const DAY_MS = 86_400_000;

/**
 * A plant in someone's home. Only its owner (and ADMINs, for reading) may see it. `nextWateringAt`
 * is stored so the reminder scheduler finds due plants through an index; every change of the
 * watering basis recomputes it with {@link Plant.schedule}.
 */
@ObjectType({ description: "A plant in a user's home, with its watering schedule." })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'plant' })
@Index({ properties: ['ownerId', 'createdAt'] })
export class Plant {
  [OptionalProps]?:
    'id' | 'location' | 'acquiredAt' | 'customIntervalDays' | 'lastWateredAt' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The owning user's id (a users entity; this database keeps only the key). */
  @Property({ type: 'uuid' })
  ownerId!: string;

  @ManyToOne(() => PlantSpecies, { deleteRule: 'restrict' })
  species!: PlantSpecies;

  @Field(() => String, { description: 'What the owner calls it, 1–60 characters.' })
  @Property({ type: 'string', length: 60 })
  nickname!: string;

  @Field(() => String, { nullable: true, description: "Where it stands in the home, e.g. 'Living room window'." })
  @Property({ type: 'string', length: 60, nullable: true })
  location: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When the owner got it (never in the future).' })
  @Property({ type: 'timestamptz', nullable: true })
  acquiredAt: Date | null = null;

  @Field(() => Int, {
    nullable: true,
    description: "Days between waterings set for this plant; null follows the species' interval.",
  })
  @Property({ type: 'integer', nullable: true })
  customIntervalDays: number | null = null;

  @Field(() => Date, { nullable: true, description: 'When it was last watered; null before its first watering.' })
  @Property({ type: 'timestamptz', nullable: true })
  lastWateredAt: Date | null = null;

  @Field(() => Date, {
    description: 'When it needs water next: last watering (or when it was added) plus its interval.',
  })
  @Index()
  @Property({ type: 'timestamptz' })
  nextWateringAt!: Date;

  @Field(() => Date, { description: 'When it was added.' })
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** Days between waterings in force: the plant's own, else its species'. */
  intervalDays(species: Pick<PlantSpecies, 'wateringIntervalDays'>): number {
    return this.customIntervalDays ?? species.wateringIntervalDays;
  }

  /**
   * Recomputes `nextWateringAt` from the last watering (or, before the first one, from when the
   * plant was added: a new plant is assumed freshly watered) plus the interval in force.
   */
  schedule(species: Pick<PlantSpecies, 'wateringIntervalDays'>): void {
    const base = this.lastWateredAt ?? this.createdAt;
    this.nextWateringAt = new Date(base.getTime() + this.intervalDays(species) * DAY_MS);
  }
}
