/**
 * The live dashboard: subscribes over graphql-ws to new alerts (AlertRaised) and to the live
 * counters (DashboardUpdated), shows the connection state and reconnects on its own. It uses the
 * project's generated typed operations, so a contract change breaks this build.
 */
import { createClient } from 'graphql-ws';
import { print } from 'graphql/language/printer';
import {
  AlertRaisedDocument,
  DashboardUpdatedDocument,
  type AlertRaisedSubscription,
  type DashboardUpdatedSubscription,
} from '../../../operations/generated/graphql';

type Alert = AlertRaisedSubscription['alertRaised'];
type Counters = DashboardUpdatedSubscription['dashboardUpdated'];

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;

function setState(state: 'connecting' | 'live' | 'reconnecting' | 'offline', text: string): void {
  const el = $('connection');
  el.className = `state ${state}`;
  el.textContent = text;
  document.body.dataset.connection = state;
}

const client = createClient({
  url: wsUrl,
  lazy: false,
  retryAttempts: Infinity,
  shouldRetry: () => true,
  // Backoff with jitter, capped at 10 s, so a restarted router is not stormed by every open page.
  retryWait: async (retries) => new Promise((r) => setTimeout(r, Math.min(10_000, 500 * 2 ** retries) * (0.5 + Math.random() / 2))),
  connectionParams: () => {
    const token = localStorage.getItem('accessToken');
    return token ? { authorization: `Bearer ${token}` } : {};
  },
  on: {
    connecting: (isRetry) => setState(isRetry ? 'reconnecting' : 'connecting', isRetry ? 'Reconnecting…' : 'Connecting…'),
    connected: () => setState('live', 'Live'),
    closed: () => setState('reconnecting', 'Connection lost — reconnecting…'),
  },
});

function renderAlert(alert: Alert): HTMLLIElement {
  const li = document.createElement('li');
  li.className = 'alert';
  li.dataset.caseId = alert.case.id;
  const photo = alert.case.photoUrl
    ? Object.assign(document.createElement('img'), { src: alert.case.photoUrl, alt: `Photo of ${alert.case.childName}` })
    : Object.assign(document.createElement('div'), { className: 'nophoto', textContent: 'no photo' });
  const body = document.createElement('div');
  const title = Object.assign(document.createElement('h3'), { textContent: alert.case.childName });
  const place = Object.assign(document.createElement('p'), { textContent: `Last seen: ${alert.case.lastSeenPlace}` });
  const when = Object.assign(document.createElement('p'), { textContent: `Raised ${new Date(alert.raisedAt).toLocaleString()} · ${alert.case.reportId}` });
  const message = Object.assign(document.createElement('p'), { textContent: alert.message });
  body.append(title, place, when, message);
  li.append(photo, body);
  return li;
}

client.subscribe<AlertRaisedSubscription>(
  { query: print(AlertRaisedDocument) },
  {
    next: ({ data, errors }) => {
      if (errors?.length) console.warn('alert error', errors);
      if (!data) return;
      $('empty').hidden = true;
      const list = $('alerts');
      list.prepend(renderAlert(data.alertRaised));
      while (list.children.length > 50) list.lastElementChild!.remove();
    },
    error: (err) => console.warn('alerts subscription ended', err),
    complete: () => undefined,
  },
);

const COUNTERS: (keyof Omit<Counters, 'updatedAt'>)[] = ['openCases', 'casesToday', 'sightingsToday', 'alertsSent', 'notificationsDelivered'];
client.subscribe<DashboardUpdatedSubscription>(
  { query: print(DashboardUpdatedDocument) },
  {
    next: ({ data, errors }) => {
      if (errors?.length) $('countersNote').textContent = `Counters unavailable: ${errors[0]!.message}`;
      if (!data) return;
      for (const key of COUNTERS) $(key).textContent = String(data.dashboardUpdated[key]);
      $('countersNote').textContent = `Updated ${new Date(data.dashboardUpdated.updatedAt).toLocaleTimeString()}`;
    },
    error: (err) => ($('countersNote').textContent = `Counters unavailable (${String((err as Error)?.message ?? 'connection closed')})`),
    complete: () => undefined,
  },
);
