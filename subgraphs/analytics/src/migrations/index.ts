import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121223838_initial } from './Migration20261121223838_initial';
import { Migration20261122010438_risk_zone_run } from './Migration20261122010438_risk_zone_run';
import { Migration20261122021716_read_model_state } from './Migration20261122021716_read_model_state';
import { Migration20261201095938_case_closed_at } from './Migration20261201095938_case_closed_at';
import { Migration20261201100634_sighting_review } from './Migration20261201100634_sighting_review';

/** The committed migrations of this database, oldest first (maintained by `npm run migration`). */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261121223838_initial', class: Migration20261121223838_initial },
  { name: 'Migration20261122010438_risk_zone_run', class: Migration20261122010438_risk_zone_run },
  { name: 'Migration20261122021716_read_model_state', class: Migration20261122021716_read_model_state },
  { name: 'Migration20261201095938_case_closed_at', class: Migration20261201095938_case_closed_at },
  { name: 'Migration20261201100634_sighting_review', class: Migration20261201100634_sighting_review },
];
