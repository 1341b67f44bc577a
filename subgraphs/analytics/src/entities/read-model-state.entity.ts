import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One row (id 1): a version of the read models, raised in the same transaction as every
 * projected event and every rebuild, so readers can tell cheaply whether the facts changed
 * (see `FigureCache`).
 */
@Entity({ tableName: 'read_model_state' })
export class ReadModelStateRow {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id!: number;

  @Property({ type: 'bigint' })
  version!: string;
}
