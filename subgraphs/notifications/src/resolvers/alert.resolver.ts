import { Arg, Ctx, FieldResolver, Resolver, Root, Subscription } from 'type-graphql';
import { BadUserInputError, GeoCircleInput, NotFoundError, check, type RequestContext } from '@supergraph/kit';
import { Alert } from '../entities/alert.entity';
import { distanceKm } from '@supergraph/kit';
import type { NotificationsLoaders } from '../loaders/notification.loader';
import { TOPICS } from '../live.topics';
import { CaseRef } from '../types/refs.types';
import { livePubSub } from './services';

type Ctx = RequestContext<NotificationsLoaders>;

/** Validates a `near` circle (radius 0.1–1000 km). */
function circle(near: GeoCircleInput): GeoCircleInput {
  check.location(near, 'near');
  if (!Number.isFinite(near.radiusKm) || near.radiusKm < 0.1 || near.radiusKm > 1000) {
    throw new BadUserInputError('near.radiusKm must be between 0.1 and 1000.', 'near.radiusKm');
  }
  return near;
}

/** Missing-child alerts: the live feed, and the alerts of a case. */
@Resolver(() => Alert)
export class AlertResolver {
  @Subscription(() => Alert, {
    description:
      'Every new missing-child alert, or only those whose last-seen location is inside `near`. Open to everyone.',
    subscribe: async ({ args }) => {
      const near = (args as { near?: GeoCircleInput | null }).near
        ? circle((args as { near: GeoCircleInput }).near)
        : null;
      return livePubSub().subscribeWhere<{ lat: number | null; lng: number | null }>(TOPICS.ALERT_RAISED, (p) =>
        near ? p.lat !== null && p.lng !== null && distanceKm(near, { lat: p.lat, lng: p.lng }) <= near.radiusKm : true,
      );
    },
  })
  async alertRaised(
    @Root() payload: { id: string },
    @Ctx() ctx: Ctx,
    @Arg('near', () => GeoCircleInput, { nullable: true, description: 'Only alerts within this circle.' })
    _near?: GeoCircleInput,
  ): Promise<Alert> {
    // A fresh fork per event: a subscription's context lives as long as the subscription.
    const alert = await ctx.em.fork().findOne(Alert, { id: payload.id });
    if (!alert) throw new NotFoundError('Alert', payload.id);
    return alert;
  }

  @FieldResolver(() => CaseRef, {
    description: 'The case the alert is about (its fields come from the cases subgraph).',
  })
  case(@Root() alert: Alert): CaseRef {
    return { id: alert.caseId };
  }
}

/** The alerts this subgraph adds to Case. */
@Resolver(() => CaseRef)
export class CaseAlertsResolver {
  @FieldResolver(() => [Alert], { description: 'Alerts raised for this case (one once it was reported).' })
  alerts(@Root() c: CaseRef, @Ctx() ctx: Ctx): Promise<Alert[]> {
    return ctx.loaders.alertsByCaseId.load(c.id);
  }
}
