import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121222654_initial } from './Migration20261121222654_initial';
import { Migration20261201100831_sessions } from './Migration20261201100831_sessions';
import { Migration20261201171406_revocation_outbox } from './Migration20261201171406_revocation_outbox';

/** The committed migrations of this database, oldest first (maintained by `npm run migration`). */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261121222654_initial', class: Migration20261121222654_initial },
  { name: 'Migration20261201100831_sessions', class: Migration20261201100831_sessions },
  { name: 'Migration20261201171406_revocation_outbox', class: Migration20261201171406_revocation_outbox },
];
