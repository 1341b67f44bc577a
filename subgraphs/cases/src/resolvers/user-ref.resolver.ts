import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { pageSize, type RequestContext } from '@supergraph/kit';
import { Case } from '../entities/case.entity';
import type { CasesLoaders } from '../loaders/case.loader';
import { UserRef } from '../types/user-ref.type';

/** What cases adds to the users subgraph's User. */
@Resolver(() => UserRef)
export class UserRefResolver {
  @FieldResolver(() => [Case], {
    nullable: true,
    description:
      'Cases this user reported, newest first. Nullable so that this subgraph being unavailable leaves the rest of the user intact.',
  })
  reportedCases(
    @Root() user: UserRef,
    @Ctx() ctx: RequestContext<CasesLoaders>,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 50.' }) first?: number | null,
  ): Promise<Case[]> {
    return ctx.loaders.casesByReporter(pageSize(first, 50)).load(user.id);
  }
}
