import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, type Emit } from '@supergraph/kit';
import type { PlantSpecies } from './entities/plant-species.entity';
import type { Plant } from './entities/plant.entity';
import { GrowthResolver, WateringResolver } from './resolvers/care.resolver';
import { canRead, type PlantsContext } from './resolvers/plant.access';
import { PlantResolver } from './resolvers/plant.resolver';
import { SpeciesResolver } from './resolvers/species.resolver';
import { UserPlantsResolver } from './resolvers/user.resolver';
import type { UserRef } from './resolvers/user.types';

/**
 * The plants subgraph schema: the species catalog, users' plants with their watering history and
 * growth journal, and `User.plants`. Entities: PlantSpecies (public), Plant (visible to its owner
 * and ADMINs only; null otherwise), User (stub: plants only knows its id). `services` are only
 * needed to serve requests; composition builds the schema without them.
 */
export function buildSchema(services?: { emit: Emit }): Promise<GraphQLSchema> {
  const emit = services?.emit as Emit;
  const instances = new Map<Function, unknown>([
    [SpeciesResolver, new SpeciesResolver()],
    [PlantResolver, new PlantResolver(emit)],
    [WateringResolver, new WateringResolver(emit)],
    [GrowthResolver, new GrowthResolver()],
    [UserPlantsResolver, new UserPlantsResolver()],
  ]);
  return buildFederatedSchema(
    {
      resolvers: [SpeciesResolver, PlantResolver, WateringResolver, GrowthResolver, UserPlantsResolver],
      container: { get: (cls) => instances.get(cls) },
    },
    {
      PlantSpecies: {
        __resolveReference: (ref: { id: string }, ctx: PlantsContext): Promise<PlantSpecies | null> =>
          ctx.loaders.speciesById.load(ref.id),
      },
      Plant: {
        __resolveReference: async (ref: { id: string }, ctx: PlantsContext): Promise<Plant | null> => {
          const plant = await ctx.loaders.plantById.load(ref.id);
          return plant && canRead(ctx, plant) ? plant : null;
        },
      },
      User: { __resolveReference: (ref: { id: string }): UserRef => ({ id: ref.id }) },
    },
  );
}
