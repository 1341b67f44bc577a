import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121223943_initial } from './Migration20261121223943_initial';
import { Migration20261201100043_alert_raised_at_index } from './Migration20261201100043_alert_raised_at_index';

/** The committed migrations of this database, oldest first (maintained by `npm run migration`). */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261121223943_initial', class: Migration20261121223943_initial },
  { name: 'Migration20261201100043_alert_raised_at_index', class: Migration20261201100043_alert_raised_at_index },
];
