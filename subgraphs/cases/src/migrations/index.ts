import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121223857_initial } from './Migration20261121223857_initial';
import { Migration20261201100039_sighting_review } from './Migration20261201100039_sighting_review';

/** The committed migrations of this database, oldest first (maintained by `npm run migration`). */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261121223857_initial', class: Migration20261121223857_initial },
  { name: 'Migration20261201100039_sighting_review', class: Migration20261201100039_sighting_review },
];
