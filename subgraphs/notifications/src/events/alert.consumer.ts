import { defineConsumer, type Consumer } from '@supergraph/kit';
import { fanOutCaseReported, noticeStatusChanged } from '../alerts/alert.fanout';
import { AlertRepository } from '../alerts/alert.repository';

/**
 * Events that raise or settle alerts. They are read in a lane (bus consumer group) of their own,
 * so an alert never waits behind a backlog of other events (a burst of sightings, say); a
 * case's report and its status changes stay in order within the lane.
 */
export const ALERT_EVENTS = ['case.reported', 'case.status_changed', 'case.deleted'] as const;

/** The bus group of the alert lane; its events still count as processed by the service's own consumer name. */
export const ALERTS_GROUP = 'notifications-alerts';

/** What the alert consumer needs. */
export interface AlertConsumerDeps {
  /** Where links in messages point. */
  publicOrigin: string;
}

/**
 * The alert lane: a reported case fans out its alert, a status change tells those concerned,
 * a deleted case's alert goes. Each event is applied once (the kit's `consume`).
 */
export function alertConsumer(deps: AlertConsumerDeps): Consumer {
  return defineConsumer({
    group: ALERTS_GROUP,
    types: ALERT_EVENTS,
    async handle(em, envelope) {
      switch (envelope.type) {
        case 'case.reported':
          return fanOutCaseReported(em, envelope.payload, deps.publicOrigin);
        case 'case.status_changed':
          return noticeStatusChanged(em, envelope.payload, deps.publicOrigin);
        case 'case.deleted':
          return new AlertRepository(em).drop(envelope.payload.caseId);
        default: {
          const never: never = envelope;
          throw new Error(`unexpected event ${(never as { type: string }).type}`);
        }
      }
    },
  });
}
