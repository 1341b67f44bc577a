import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { BadUserInputError, check, pageSize, requireUser, type Emit } from '@supergraph/kit';
import { GrowthEntry } from '../entities/growth-entry.entity';
import { PlantSpecies } from '../entities/plant-species.entity';
import { Plant } from '../entities/plant.entity';
import { Watering } from '../entities/watering.entity';
import { AddPlantInput, UpdatePlantInput } from '../types/plant.inputs';
import { loadPlant, type PlantsContext } from './plant.access';
import { UserRef } from './user.types';

/** Loads a catalog species for an input field; BAD_USER_INPUT naming the field when there is none. */
async function speciesFor(ctx: PlantsContext, id: string, field: string): Promise<PlantSpecies> {
  const species = await ctx.loaders.speciesById.load(check.id(id, field));
  if (!species)
    throw new BadUserInputError(`${field} names no species in the catalog; pick one from plantSpecies.`, field);
  return species;
}

/** Cleans the shared plant fields of add/update input. */
const clean = {
  nickname: (v: string) => check.text(v, 'input.nickname', { min: 1, max: 60 }),
  location: (v: string | null | undefined) => check.optionalText(v, 'input.location', { max: 60 }),
  acquiredAt: (v: Date | null | undefined) => (v ? check.pastDate(v, 'input.acquiredAt') : v),
  interval: (v: number | null | undefined) =>
    v === null || v === undefined ? v : check.int(v, 'input.wateringIntervalDays', 1, 365),
};

/** A user's plants: adding, reading, changing and removing them (owner only). */
@Resolver(() => Plant)
export class PlantResolver {
  constructor(private readonly emit: Emit) {}

  @Query(() => Plant, { description: "One of your plants (ADMINs: anyone's). Another user's plant is NOT_FOUND." })
  plant(@Arg('id', () => ID) id: string, @Ctx() ctx: PlantsContext): Promise<Plant> {
    return loadPlant(ctx, id, 'id', 'read');
  }

  @Mutation(() => Plant, { description: 'Adds a plant to your home; emits `plant.added`.' })
  async addPlant(@Arg('input', () => AddPlantInput) input: AddPlantInput, @Ctx() ctx: PlantsContext): Promise<Plant> {
    const ownerId = requireUser(ctx);
    const nickname = clean.nickname(input.nickname);
    const location = clean.location(input.location) ?? null;
    const acquiredAt = clean.acquiredAt(input.acquiredAt) ?? null;
    const customIntervalDays = clean.interval(input.wateringIntervalDays) ?? null;
    const species = await speciesFor(ctx, input.speciesId, 'input.speciesId');
    const plant = ctx.em.create(Plant, {
      ownerId,
      species,
      nickname,
      location,
      acquiredAt,
      customIntervalDays,
      nextWateringAt: new Date(),
    });
    plant.schedule(species);
    this.emit(
      ctx.em,
      'plant.added',
      { plantId: plant.id, ownerId, speciesId: species.id },
      { correlationId: ctx.correlationId },
    );
    await ctx.em.flush();
    return plant;
  }

  @Mutation(() => Plant, {
    description: 'Changes one of your plants; a new species or interval reschedules its next watering.',
  })
  async updatePlant(
    @Arg('plantId', () => ID) plantId: string,
    @Arg('input', () => UpdatePlantInput) input: UpdatePlantInput,
    @Ctx() ctx: PlantsContext,
  ): Promise<Plant> {
    if (input.nickname === null) throw new BadUserInputError('input.nickname cannot be removed.', 'input.nickname');
    if (input.speciesId === null) throw new BadUserInputError('input.speciesId cannot be removed.', 'input.speciesId');
    const nickname = input.nickname === undefined ? undefined : clean.nickname(input.nickname);
    const location = clean.location(input.location);
    const acquiredAt = clean.acquiredAt(input.acquiredAt);
    const interval = clean.interval(input.wateringIntervalDays);
    const newSpecies =
      input.speciesId === undefined ? undefined : await speciesFor(ctx, input.speciesId, 'input.speciesId');
    const plant = await loadPlant(ctx, plantId, 'plantId', 'write');
    if (nickname !== undefined) plant.nickname = nickname;
    if (location !== undefined) plant.location = location;
    if (acquiredAt !== undefined) plant.acquiredAt = acquiredAt;
    if (interval !== undefined) plant.customIntervalDays = interval;
    if (newSpecies) plant.species = newSpecies;
    plant.schedule(newSpecies ?? (await ctx.loaders.speciesById.load(plant.species.id))!);
    await ctx.em.flush();
    return plant;
  }

  @Mutation(() => Boolean, {
    description: 'Removes one of your plants with its history; emits `plant.removed`. True when done.',
  })
  async removePlant(@Arg('plantId', () => ID) plantId: string, @Ctx() ctx: PlantsContext): Promise<boolean> {
    const plant = await loadPlant(ctx, plantId, 'plantId', 'write');
    this.emit(
      ctx.em,
      'plant.removed',
      { plantId: plant.id, ownerId: plant.ownerId },
      { correlationId: ctx.correlationId },
    );
    ctx.em.remove(plant);
    await ctx.em.flush();
    return true;
  }

  @FieldResolver(() => PlantSpecies, { description: 'Its species.' })
  async species(@Root() plant: Plant, @Ctx() ctx: PlantsContext): Promise<PlantSpecies> {
    return (await ctx.loaders.speciesById.load(plant.species.id))!;
  }

  @FieldResolver(() => UserRef, { description: 'Its owner (details come from the users subgraph).' })
  owner(@Root() plant: Plant): UserRef {
    return { id: plant.ownerId };
  }

  @FieldResolver(() => Int, { description: "Days between waterings in force: its own interval, else the species'." })
  async wateringIntervalDays(@Root() plant: Plant, @Ctx() ctx: PlantsContext): Promise<number> {
    return plant.intervalDays((await ctx.loaders.speciesById.load(plant.species.id))!);
  }

  @FieldResolver(() => Boolean, { description: 'True when its watering is due (nextWateringAt has passed).' })
  isOverdue(@Root() plant: Plant): boolean {
    return plant.nextWateringAt.getTime() <= Date.now();
  }

  @FieldResolver(() => [Watering], { description: 'Its waterings, newest first.' })
  waterings(
    @Root() plant: Plant,
    @Ctx() ctx: PlantsContext,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 10.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'A `Watering.cursor`: only older waterings.' })
    after?: string | null,
  ): Promise<Watering[]> {
    return ctx.loaders.history.waterings(plant.id, pageSize(first, 10), after);
  }

  @FieldResolver(() => [GrowthEntry], { description: 'Its growth journal, newest first.' })
  growth(
    @Root() plant: Plant,
    @Ctx() ctx: PlantsContext,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 10.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'A `GrowthEntry.cursor`: only older entries.' })
    after?: string | null,
  ): Promise<GrowthEntry[]> {
    return ctx.loaders.history.growth(plant.id, pageSize(first, 10), after);
  }
}
