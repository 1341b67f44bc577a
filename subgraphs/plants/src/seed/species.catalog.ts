import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SPECIES } from './species.data';
import type { SpeciesSeed } from './species.types';
import { validateSpecies } from './species.validation';

/**
 * Makes sure every species of the seed catalog is in the database, on every start (reference
 * data, not demo data). Idempotent by name: one multi-row INSERT … ON CONFLICT DO NOTHING against
 * the case-insensitive unique indexes, so existing rows (possibly edited by an ADMIN) are kept.
 * Throws when a catalog entry breaks the catalog rules.
 * @returns how many species were added.
 */
export async function ensureSpeciesCatalog(
  em: EntityManager,
  catalog: readonly SpeciesSeed[] = SPECIES,
): Promise<number> {
  for (const s of catalog) {
    const [problem] = validateSpecies(s);
    if (problem) throw new Error(`species catalog entry ${s.scientificName}: ${problem.message}`);
  }
  if (catalog.length === 0) return 0;
  const now = new Date();
  const rows = catalog.map((s) => ({
    id: randomUUID(),
    common_name: s.commonName,
    scientific_name: s.scientificName,
    family: s.family,
    watering_interval_days: s.wateringIntervalDays,
    light: s.light,
    humidity: s.humidity,
    min_temp_c: s.minTempC,
    max_temp_c: s.maxTempC,
    toxic_to_pets: s.toxicToPets,
    care_notes: s.careNotes,
    created_at: now,
    updated_at: now,
  }));
  const query = em.getKnex().insert(rows).into('plant_species').onConflict().ignore().returning('id');
  const inserted = await em.execute<{ id: string }[]>(query);
  return inserted.length;
}
