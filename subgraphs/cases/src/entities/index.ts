import { EVENT_ENTITIES } from '@supergraph/kit';
import { Case } from './case.entity';
import { CaseStatusChange } from './case-status-change.entity';
import { KnownUser, SeedRun } from './known-user.entity';
import { Sighting } from './sighting.entity';

/** Every entity of the cases database, including the event backbone's outbox tables. */
export const ENTITIES = [Case, Sighting, CaseStatusChange, KnownUser, SeedRun, ...EVENT_ENTITIES];
