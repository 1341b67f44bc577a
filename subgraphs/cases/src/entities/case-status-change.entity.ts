import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Case } from './case.entity';
import { CaseStatus } from './case.enums';

/** One step of a case's status history; the first row (from = null) is the report itself. */
@ObjectType({ description: "One change of a case's status." })
@Entity({ tableName: 'case_status_change' })
@Index({ name: 'case_status_change_case_idx', properties: ['caseId', 'changedAt'] })
export class CaseStatusChange {
  [OptionalProps]?: 'id' | 'from' | 'note' | 'changedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Case, { mapToPk: true, deleteRule: 'cascade', fieldName: 'case_id', index: false })
  caseId!: string;

  @Field(() => CaseStatus, { nullable: true, description: 'Status before the change; null for the initial report.' })
  @Enum({ items: () => CaseStatus, type: 'string', nullable: true, fieldName: 'from_status' })
  from: CaseStatus | null = null;

  @Field(() => CaseStatus, { description: 'Status after the change.' })
  @Enum({ items: () => CaseStatus, type: 'string', fieldName: 'to_status' })
  to!: CaseStatus;

  @Field(() => String, { nullable: true, description: 'Why the status changed, as written by whoever changed it.' })
  @Property({ type: 'text', nullable: true })
  note: string | null = null;

  /** Who changed it (a user id owned by users). */
  @Property({ type: 'uuid' })
  changedBy!: string;

  @Field(() => Date, { description: 'When the status changed.' })
  @Property({ type: 'timestamptz' })
  changedAt: Date = new Date();
}
