import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import {
  BadUserInputError,
  ConflictError,
  ConnectionType,
  NotFoundError,
  check,
  decodeCursor,
  pageSize,
  requireAdmin,
  toConnection,
  type Connection,
} from '@supergraph/kit';
import { PlantSpecies } from '../entities/plant-species.entity';
import { validateSpecies } from '../seed/species.validation';
import type { SpeciesSeed } from '../seed/species.types';
import { PlantSpeciesInput, UpdatePlantSpeciesInput } from '../types/species.inputs';
import type { PlantsContext } from './plant.access';

const PlantSpeciesConnection = ConnectionType(PlantSpecies, 'PlantSpecies');

const TEXT_FIELDS = ['commonName', 'scientificName', 'family', 'careNotes'] as const;

/** Escapes LIKE wildcards so a search matches its text literally. */
function likePattern(search: string): string {
  return `%${search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
}

/** Just the catalog fields of a species (or of an input carrying them). */
function speciesRecord(s: SpeciesSeed): SpeciesSeed {
  const {
    commonName,
    scientificName,
    family,
    wateringIntervalDays,
    light,
    humidity,
    minTempC,
    maxTempC,
    toxicToPets,
    careNotes,
  } = s;
  return {
    commonName,
    scientificName,
    family,
    wateringIntervalDays,
    light,
    humidity,
    minTempC,
    maxTempC,
    toxicToPets,
    careNotes,
  };
}

/** Runs the catalog rules on a complete record; the first problem becomes BAD_USER_INPUT naming `input.<field>`. */
function assertValid(record: SpeciesSeed): void {
  const [problem] = validateSpecies(record);
  if (problem) throw new BadUserInputError(`input.${problem.message}.`, `input.${problem.field}`);
}

/** The species catalog: public search, ADMIN creation and editing. */
@Resolver(() => PlantSpecies)
export class SpeciesResolver {
  @Query(() => PlantSpeciesConnection, {
    description:
      'The species catalog in common-name order, optionally matching `search` in the common or scientific name. Public.',
  })
  async plantSpecies(
    @Ctx() ctx: PlantsContext,
    @Arg('search', () => String, { nullable: true }) search?: string | null,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 20.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: '`endCursor` of the previous page.' })
    after?: string | null,
  ): Promise<Connection<PlantSpecies>> {
    const size = pageSize(first);
    const cursor = decodeCursor(after);
    const text = search?.trim() ? check.text(search, 'search', { max: 80 }) : undefined;
    const where = text
      ? { $or: [{ commonName: { $ilike: likePattern(text) } }, { scientificName: { $ilike: likePattern(text) } }] }
      : {};
    const position = cursor
      ? {
          $or: [
            { commonName: { $gt: String(cursor.value) } },
            { commonName: String(cursor.value), id: { $gt: cursor.id } },
          ],
        }
      : {};
    const rows = await ctx.em.find(
      PlantSpecies,
      { $and: [where, position] },
      { orderBy: { commonName: 'asc', id: 'asc' }, limit: size + 1 },
    );
    const total = () => ctx.em.count(PlantSpecies, where); // counted only when totalCount is selected
    return toConnection(rows, size, total, (s) => ({ value: s.commonName, id: s.id }));
  }

  @Query(() => PlantSpecies, { nullable: true, description: 'One species by id; null when unknown. Public.' })
  species(@Arg('id', () => ID) id: string, @Ctx() ctx: PlantsContext): Promise<PlantSpecies | null> {
    return ctx.loaders.speciesById.load(check.id(id, 'id'));
  }

  @Mutation(() => PlantSpecies, {
    description: 'ADMIN only: adds a species to the catalog (names unique regardless of case).',
  })
  async createPlantSpecies(
    @Arg('input', () => PlantSpeciesInput) input: PlantSpeciesInput,
    @Ctx() ctx: PlantsContext,
  ): Promise<PlantSpecies> {
    requireAdmin(ctx);
    const record: SpeciesSeed = {
      ...speciesRecord(input),
      commonName: input.commonName.trim(),
      scientificName: input.scientificName.trim(),
      family: input.family.trim(),
      careNotes: input.careNotes.trim(),
    };
    assertValid(record);
    await this.assertUnique(ctx, record);
    const species = ctx.em.create(PlantSpecies, record);
    await this.flush(ctx);
    return species;
  }

  @Mutation(() => PlantSpecies, {
    description:
      "ADMIN only: changes a species. A new watering interval reschedules the plants that follow the species' interval.",
  })
  async updatePlantSpecies(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdatePlantSpeciesInput) input: UpdatePlantSpeciesInput,
    @Ctx() ctx: PlantsContext,
  ): Promise<PlantSpecies> {
    requireAdmin(ctx);
    const species = await ctx.loaders.speciesById.load(check.id(id, 'id'));
    if (!species) throw new NotFoundError('PlantSpecies', id);
    const changes: Partial<SpeciesSeed> = {};
    for (const [key, value] of Object.entries(input) as [keyof SpeciesSeed, unknown][]) {
      if (value === undefined) continue;
      if (value === null) throw new BadUserInputError(`input.${key} cannot be removed.`, `input.${key}`);
      (changes as Record<string, unknown>)[key] =
        typeof value === 'string' && (TEXT_FIELDS as readonly string[]).includes(key) ? value.trim() : value;
    }
    const merged: SpeciesSeed = { ...speciesRecord(species), ...changes };
    assertValid(merged);
    await this.assertUnique(ctx, merged, species.id);
    const intervalChanged = merged.wateringIntervalDays !== species.wateringIntervalDays;
    ctx.em.assign(species, changes);
    await ctx.em
      .transactional(async (tx) => {
        await tx.flush();
        if (intervalChanged) {
          await tx.execute(
            `update "plant" set "next_watering_at" = coalesce("last_watered_at", "created_at") + make_interval(days => ?), "updated_at" = now()
           where "species_id" = ? and "custom_interval_days" is null`,
            [merged.wateringIntervalDays, species.id],
          );
        }
      })
      .catch((err) => this.conflict(err));
    return species;
  }

  /** CONFLICT naming the field when another species already has this common or scientific name. */
  private async assertUnique(ctx: PlantsContext, record: SpeciesSeed, exceptId?: string): Promise<void> {
    const rows = await ctx.em.execute<{ common: boolean; scientific: boolean }[]>(
      `select lower("common_name") = lower(?) as "common", lower("scientific_name") = lower(?) as "scientific" from "plant_species"
       where (lower("common_name") = lower(?) or lower("scientific_name") = lower(?)) and "id" <> ?`,
      [
        record.commonName,
        record.scientificName,
        record.commonName,
        record.scientificName,
        exceptId ?? '00000000-0000-0000-0000-000000000000',
      ],
    );
    if (rows.some((r) => r.scientific))
      throw new ConflictError(
        `A species named ${record.scientificName} is already in the catalog.`,
        'input.scientificName',
      );
    if (rows.some((r) => r.common))
      throw new ConflictError(`A species called ${record.commonName} is already in the catalog.`, 'input.commonName');
  }

  private async flush(ctx: PlantsContext): Promise<void> {
    await ctx.em.flush().catch((err) => this.conflict(err));
  }

  /** A unique violation here means a concurrent request took the name first. */
  private conflict(err: unknown): never {
    if (err instanceof UniqueConstraintViolationException)
      throw new ConflictError('A species with this name was just added to the catalog.', 'input.scientificName');
    throw err;
  }
}
