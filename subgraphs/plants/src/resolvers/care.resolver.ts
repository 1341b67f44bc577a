import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { BadUserInputError, check, type Emit } from '@supergraph/kit';
import { GrowthEntry } from '../entities/growth-entry.entity';
import { Plant } from '../entities/plant.entity';
import { Watering } from '../entities/watering.entity';
import { historyCursor } from '../loaders/history.loader';
import { GrowthInput } from '../types/plant.inputs';
import { loadPlant, type PlantsContext } from './plant.access';

/** Watering a plant and keeping its growth journal (owner only). */
@Resolver(() => Watering)
export class WateringResolver {
  constructor(private readonly emit: Emit) {}

  @Mutation(() => Watering, {
    description: 'Records that you watered one of your plants now; reschedules it and emits `plant.watered`.',
  })
  async waterPlant(
    @Arg('plantId', () => ID) plantId: string,
    @Ctx() ctx: PlantsContext,
    @Arg('amountMl', () => Int, { nullable: true, description: 'Water given, 1–10000 ml.' }) amountMl?: number | null,
  ): Promise<Watering> {
    const amount = amountMl === null || amountMl === undefined ? null : check.int(amountMl, 'amountMl', 1, 10_000);
    const plant = await loadPlant(ctx, plantId, 'plantId', 'write');
    const species = (await ctx.loaders.speciesById.load(plant.species.id))!;
    const wateredAt = new Date();
    const dueAt = plant.nextWateringAt;
    const watering = ctx.em.create(Watering, { plant, wateredAt, amountMl: amount });
    plant.lastWateredAt = wateredAt;
    plant.schedule(species);
    this.emit(
      ctx.em,
      'plant.watered',
      { plantId: plant.id, ownerId: plant.ownerId, wateredAt: wateredAt.toISOString(), dueAt: dueAt.toISOString() },
      { correlationId: ctx.correlationId },
    );
    await ctx.em.flush();
    return watering;
  }

  @FieldResolver(() => Plant, { description: 'The plant watered.' })
  plant(@Root() w: Watering, @Ctx() ctx: PlantsContext): Promise<Plant> {
    return ctx.loaders.plantById.load(w.plant.id) as Promise<Plant>;
  }

  @FieldResolver(() => String, { description: 'Pass as `waterings(after:)` to get the waterings before this one.' })
  cursor(@Root() w: Watering): string {
    return historyCursor(w.wateredAt, w.id);
  }
}

/** The growth journal. */
@Resolver(() => GrowthEntry)
export class GrowthResolver {
  @Mutation(() => GrowthEntry, { description: 'Adds an entry to the growth journal of one of your plants.' })
  async logGrowth(
    @Arg('plantId', () => ID) plantId: string,
    @Arg('input', () => GrowthInput) input: GrowthInput,
    @Ctx() ctx: PlantsContext,
  ): Promise<GrowthEntry> {
    const heightCm =
      input.heightCm === null || input.heightCm === undefined
        ? null
        : check.number(input.heightCm, 'input.heightCm', 0, 2000);
    const leafCount =
      input.leafCount === null || input.leafCount === undefined
        ? null
        : check.int(input.leafCount, 'input.leafCount', 0, 10_000);
    const note = check.optionalText(input.note, 'input.note', { max: 500 }) ?? null;
    if (heightCm === null && leafCount === null && note === null) {
      throw new BadUserInputError('input needs at least one of heightCm, leafCount or note.', 'input');
    }
    const plant = await loadPlant(ctx, plantId, 'plantId', 'write');
    const entry = ctx.em.create(GrowthEntry, { plant, recordedAt: new Date(), heightCm, leafCount, note });
    await ctx.em.flush();
    return entry;
  }

  @FieldResolver(() => Plant, { description: 'The plant this entry is about.' })
  plant(@Root() g: GrowthEntry, @Ctx() ctx: PlantsContext): Promise<Plant> {
    return ctx.loaders.plantById.load(g.plant.id) as Promise<Plant>;
  }

  @FieldResolver(() => String, { description: 'Pass as `growth(after:)` to get the entries before this one.' })
  cursor(@Root() g: GrowthEntry): string {
    return historyCursor(g.recordedAt, g.id);
  }
}
