import type { EventPayloads } from '@supergraph/kit';
import { utcMinute } from '../delivery/message.time';

type Reported = EventPayloads['case.reported'];
type StatusChanged = EventPayloads['case.status_changed'];

/** Title, body and link of a notification, before who gets it is decided. */
export interface MessageText {
  title: string;
  body: string;
  url: string;
}

const place = (p: Reported) => p.lastSeenPlace || 'an unknown place';
const casePage = (origin: string, caseId: string) => `${origin}/cases/${caseId}`;

/** The text of a case's alert row (recent alerts). */
export function alertText(p: Reported): string {
  return `Missing: ${p.childName}, ${p.age}, last seen ${utcMinute(p.lastSeenAt)} at ${place(p)}.`;
}

/** The alert a recipient near where the child was last seen gets. */
export function nearbyAlertMessage(p: Reported, origin: string): MessageText {
  return {
    title: `Missing child near you: ${p.childName}, ${p.age}`,
    body: `${p.childName} (${p.age}) was last seen ${utcMinute(p.lastSeenAt)} at ${place(p)}. If you see ${p.childName}, report a sighting right away.`,
    url: casePage(origin, p.caseId),
  };
}

/** What an ADMIN who is not near the case gets: the same alert under a title naming the new case. */
export function adminCaseMessage(p: Reported, origin: string): MessageText {
  return { ...nearbyAlertMessage(p, origin), title: `New case ${p.reportId}: ${p.childName}, ${p.age}` };
}

/** The notice of a case's status change. */
export function statusChangedMessage(p: StatusChanged, origin: string): MessageText {
  return {
    title: `Case ${p.reportId} is now ${p.to}`,
    body: `Case ${p.reportId} changed from ${p.from} to ${p.to}.${p.note ? ` Note: ${p.note}` : ''}`,
    url: casePage(origin, p.caseId),
  };
}
