import { EVENT_ENTITIES } from '@supergraph/kit';
import { GrowthEntry } from './growth-entry.entity';
import { KnownUser } from './known-user.entity';
import { PlantSpecies } from './plant-species.entity';
import { Plant } from './plant.entity';
import { WateringReminder } from './watering-reminder.entity';
import { Watering } from './watering.entity';

/** Every entity of the plants database, including the event backbone's outbox tables. */
export const ENTITIES = [PlantSpecies, Plant, Watering, GrowthEntry, WateringReminder, KnownUser, ...EVENT_ENTITIES];
