import type { EntityManager } from '@mikro-orm/postgresql';
import type { Emit } from '@supergraph/kit';
import { GrowthEntry } from '../entities/growth-entry.entity';
import { PlantSpecies } from '../entities/plant-species.entity';
import { Plant } from '../entities/plant.entity';
import { Watering } from '../entities/watering.entity';
import { DEMO_GARDENS, type DemoPlant } from './demo-garden.data';

const DAY_MS = 86_400_000;

/**
 * Claims the one-time demo seeding of a known user: true for exactly one caller per user
 * (an UPDATE … WHERE demo_seeded_at IS NULL takes the row lock, so two replicas cannot both win).
 */
export async function claimDemoSeeding(em: EntityManager, userId: string): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update "known_user" set "demo_seeded_at" = now() where "id" = ? and "demo_seeded_at" is null returning "id"`,
    [userId],
  );
  return rows.length > 0;
}

/**
 * Plants the demo garden of `email` (if it has one) for `userId` in `em`'s unit of work: plants
 * with watering history and growth journal, plus the `plant.added` / `plant.watered` events that
 * history would have produced (through `emit`). The caller flushes (inside its transaction) and guarantees once.
 * @returns how many plants were created.
 */
export async function plantDemoGarden(
  em: EntityManager,
  emit: Emit,
  userId: string,
  email: string,
  correlationId: string,
  now = new Date(),
): Promise<number> {
  const garden = DEMO_GARDENS[email.toLowerCase()];
  if (!garden) return 0;
  const species = await em.find(PlantSpecies, { scientificName: { $in: garden.map((p) => p.species) } });
  const byName = new Map(species.map((s) => [s.scientificName, s]));
  let planted = 0;
  for (const demo of garden) {
    const s = byName.get(demo.species);
    if (!s) continue; // an ADMIN renamed the species; the rest of the garden still grows
    plant(em, emit, userId, s, demo, correlationId, now);
    planted += 1;
  }
  return planted;
}

function plant(
  em: EntityManager,
  emit: Emit,
  ownerId: string,
  species: PlantSpecies,
  demo: DemoPlant,
  correlationId: string,
  now: Date,
): void {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const acquiredAt = ago(demo.acquiredDaysAgo);
  const p = em.create(Plant, {
    ownerId,
    species,
    nickname: demo.nickname,
    location: demo.location,
    acquiredAt,
    createdAt: acquiredAt,
    nextWateringAt: now,
  });
  const opts = { correlationId };
  emit(em, 'plant.added', { plantId: p.id, ownerId, speciesId: species.id }, opts);
  // Oldest first, so each watering's due date is the previous one plus the interval.
  const times = Array.from({ length: demo.waterings }, (_, i) =>
    ago(demo.lastWateredDaysAgo + (demo.waterings - 1 - i) * species.wateringIntervalDays),
  ).filter((t) => t >= acquiredAt);
  for (const wateredAt of times) {
    p.schedule(species);
    const dueAt = p.nextWateringAt;
    em.create(Watering, { plant: p, wateredAt, amountMl: demo.amountMl });
    emit(
      em,
      'plant.watered',
      { plantId: p.id, ownerId, wateredAt: wateredAt.toISOString(), dueAt: dueAt.toISOString() },
      opts,
    );
    p.lastWateredAt = wateredAt;
  }
  p.schedule(species);
  for (const g of demo.growth) {
    em.create(GrowthEntry, {
      plant: p,
      recordedAt: ago(g.daysAgo),
      heightCm: g.heightCm ?? null,
      leafCount: g.leafCount ?? null,
      note: g.note ?? null,
    });
  }
}
