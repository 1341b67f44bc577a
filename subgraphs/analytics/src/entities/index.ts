import { EVENT_ENTITIES } from '@supergraph/kit';
import { CaseFactRow } from './case-fact.entity';
import { DeliveryFactRow } from './delivery-fact.entity';
import { EventLog } from './event-log.entity';
import { PlantFactRow } from './plant-fact.entity';
import { ReadModelStateRow } from './read-model-state.entity';
import { RiskZoneCaseRow, RiskZoneRow, RiskZoneRunRow, RiskZoneSnapshotRow } from './risk-zone.entity';
import { SightingFactRow } from './sighting-fact.entity';
import { SightingReviewFactRow } from './sighting-review-fact.entity';
import { WateringFactRow } from './watering-fact.entity';

/** Every entity of the analytics database, including the event backbone's tables. */
export const ENTITIES = [
  EventLog,
  CaseFactRow,
  SightingFactRow,
  SightingReviewFactRow,
  DeliveryFactRow,
  PlantFactRow,
  WateringFactRow,
  ReadModelStateRow,
  RiskZoneRow,
  RiskZoneCaseRow,
  RiskZoneRunRow,
  RiskZoneSnapshotRow,
  ...EVENT_ENTITIES,
];
