import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ForbiddenError, isAdmin, requireUser } from '@supergraph/kit';
import { Plant } from '../entities/plant.entity';
import type { PlantsContext } from './plant.access';
import { UserRef } from './user.types';

/** What plants adds to the users subgraph's User. */
@Resolver(() => UserRef)
export class UserPlantsResolver {
  @FieldResolver(() => [Plant], {
    nullable: true,
    description:
      "The user's plants, newest first. Only the user and ADMINs may read them (FORBIDDEN otherwise). Nullable so that this subgraph being unavailable leaves the rest of the user intact.",
  })
  plants(@Root() user: UserRef, @Ctx() ctx: PlantsContext): Promise<Plant[]> {
    const callerId = requireUser(ctx);
    if (callerId !== user.id && !isAdmin(ctx))
      throw new ForbiddenError("Only the owner and ADMINs may see a user's plants.");
    return ctx.loaders.plantsByOwner.load(user.id);
  }
}
