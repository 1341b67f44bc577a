import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Plant } from './plant.entity';

/** One entry of a plant's growth journal (removed with the plant). At least one measure is set. */
@ObjectType({ description: "One entry of a plant's growth journal." })
@Entity({ tableName: 'growth_entry' })
@Index({ properties: ['plant', 'recordedAt', 'id'] })
export class GrowthEntry {
  [OptionalProps]?: 'id' | 'heightCm' | 'leafCount' | 'note';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Plant, { deleteRule: 'cascade' })
  plant!: Plant;

  @Field(() => Date, { description: 'When the entry was recorded.' })
  @Property({ type: 'timestamptz' })
  recordedAt!: Date;

  @Field(() => Float, { nullable: true, description: 'Height in centimetres (0–2000).' })
  @Property({ type: 'double', nullable: true })
  heightCm: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Number of leaves (0–10000).' })
  @Property({ type: 'integer', nullable: true })
  leafCount: number | null = null;

  @Field(() => String, { nullable: true, description: 'A free note, up to 500 characters.' })
  @Property({ type: 'string', length: 500, nullable: true })
  note: string | null = null;
}
