import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** Projection of one case's `case.*` events (see `case.projection.ts`). */
@Entity({ tableName: 'case_fact' })
export class CaseFactRow {
  @PrimaryKey({ type: 'string', length: 64 })
  caseId!: string;

  @Property({ type: 'string', length: 64 })
  reportId!: string;

  /** When `case.reported` occurred. */
  @Index()
  @Property({ type: 'timestamptz' })
  reportedAt!: Date;

  @Property({ type: 'timestamptz' })
  lastSeenAt!: Date;

  @Property({ type: 'double' })
  age!: number;

  @Property({ type: 'string', length: 16 })
  gender!: string;

  @Property({ type: 'double', nullable: true })
  lat: number | null = null;

  @Property({ type: 'double', nullable: true })
  lng: number | null = null;

  @Property({ type: 'string', length: 100, nullable: true })
  locationType: string | null = null;

  @Index()
  @Property({ type: 'string', length: 16 })
  status!: string;

  /** When the case last became FOUND; kept when a found case is closed afterwards. */
  @Index()
  @Property({ type: 'timestamptz', nullable: true })
  foundAt: Date | null = null;

  /** When the case became CLOSED, while it is CLOSED (cleared when it is reopened or found). */
  @Index()
  @Property({ type: 'timestamptz', nullable: true })
  closedAt: Date | null = null;
}
