import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { check, type RequestContext } from '@supergraph/kit';
import { Alert } from '../entities/alert.entity';
import type { NotificationsLoaders } from '../loaders/notification.loader';

type Ctx = RequestContext<NotificationsLoaders>;

/** Alerts returned when `first` is not given, and the most a caller may ask for. */
export const RECENT_ALERTS = { default: 20, max: 100 } as const;

/** The alerts a dashboard shows as it opens, before live ones arrive over `alertRaised`. */
@Resolver(() => Alert)
export class RecentAlertsResolver {
  @Query(() => [Alert], {
    description:
      `The newest alerts first (by time raised), ${RECENT_ALERTS.default} unless \`first\` says otherwise (1–${RECENT_ALERTS.max}); ` +
      'alerts of deleted cases are gone. Open to everyone, like `alertRaised`.',
  })
  recentAlerts(
    @Ctx() ctx: Ctx,
    @Arg('first', () => Int, {
      nullable: true,
      description: `How many alerts, 1–${RECENT_ALERTS.max} (default ${RECENT_ALERTS.default}).`,
    })
    first?: number | null,
  ): Promise<Alert[]> {
    const limit =
      first === undefined || first === null ? RECENT_ALERTS.default : check.int(first, 'first', 1, RECENT_ALERTS.max);
    return ctx.em.find(Alert, {}, { orderBy: { raisedAt: 'desc', id: 'desc' }, limit });
  }
}
