import { ForbiddenError, NotFoundError, check, isAdmin, requireUser, type RequestContext } from '@supergraph/kit';
import type { Plant } from '../entities/plant.entity';
import type { PlantsLoaders } from '../loaders/plant.loader';

/** The request context of every plants resolver. */
export type PlantsContext = RequestContext<PlantsLoaders>;

/** True when the caller may read the plant: its owner or an ADMIN. */
export function canRead(ctx: PlantsContext, plant: Plant): boolean {
  return plant.ownerId === ctx.identity.userId || isAdmin(ctx);
}

/**
 * Loads a plant the caller may read (`'read'`: owner or ADMIN) or change (`'write'`: owner only).
 * Another user's plant answers NOT_FOUND, exactly like a plant that does not exist, so its
 * existence is not revealed; an ADMIN (who may read it) trying to change it gets FORBIDDEN.
 * UNAUTHENTICATED when anonymous, BAD_USER_INPUT naming `field` for a malformed id.
 */
export async function loadPlant(
  ctx: PlantsContext,
  plantId: string,
  field: string,
  mode: 'read' | 'write',
): Promise<Plant> {
  const userId = requireUser(ctx);
  const plant = await ctx.loaders.plantById.load(check.id(plantId, field));
  if (!plant) throw new NotFoundError('Plant', plantId);
  if (plant.ownerId === userId) return plant;
  if (!isAdmin(ctx)) throw new NotFoundError('Plant', plantId);
  if (mode === 'write')
    throw new ForbiddenError("ADMINs may read other users' plants but only the owner may change them.");
  return plant;
}
