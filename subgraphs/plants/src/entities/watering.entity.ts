import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Plant } from './plant.entity';

/** One watering of a plant (history; removed with the plant). */
@ObjectType({ description: 'One watering of a plant.' })
@Entity({ tableName: 'watering' })
@Index({ properties: ['plant', 'wateredAt', 'id'] })
export class Watering {
  [OptionalProps]?: 'id' | 'amountMl';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Plant, { deleteRule: 'cascade' })
  plant!: Plant;

  @Field(() => Date, { description: 'When the plant was watered.' })
  @Property({ type: 'timestamptz' })
  wateredAt!: Date;

  @Field(() => Int, { nullable: true, description: 'Water given in millilitres (1–10000), when recorded.' })
  @Property({ type: 'integer', nullable: true })
  amountMl: number | null = null;
}
