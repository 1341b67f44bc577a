import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

/** Bucket lengths of `caseTrend` (GraphQL enum `TrendInterval`). */
export enum TrendIntervalEnum {
  DAY = 'DAY',
  WEEK = 'WEEK',
}
registerEnumType(TrendIntervalEnum, {
  name: 'TrendInterval',
  description: 'The length of a trend bucket: a UTC day (from 00:00 UTC), or an ISO week (from Monday 00:00 UTC).',
});

/** One bucket of `caseTrend`. */
@ObjectType('TrendBucket', { description: 'What happened to cases in one interval of a trend.' })
export class TrendBucketType {
  @Field(() => Date, {
    description: 'Start of the interval (00:00 UTC; a Monday for WEEK); the interval ends where the next starts.',
  })
  start!: Date;

  @Field(() => Int, { description: 'Cases reported in the interval (deleted cases not counted).' })
  reported!: number;

  @Field(() => Int, {
    description:
      'Cases whose latest change to FOUND falls in the interval (a case reopened afterwards is not counted).',
  })
  found!: number;

  @Field(() => Int, { description: 'Cases closed in the interval that are still CLOSED.' })
  closed!: number;

  @Field(() => Int, { description: 'Sightings reported in the interval.' })
  sightings!: number;
}
