/** The five live counters (`dashboardUpdated`) and the note under them. */
import type { DashboardUpdatedSubscription } from '../../../operations/generated/graphql';

type Counters = DashboardUpdatedSubscription['dashboardUpdated'];
const KEYS = ['openCases', 'casesToday', 'sightingsToday', 'alertsSent', 'notificationsDelivered'] as const;

/** Writes the counters into their elements (ids as the field names). */
export class CountersPanel {
  private last = '';

  /** Shows `counters`; true when a figure changed since the last call. */
  show(counters: Counters): boolean {
    for (const key of KEYS) document.getElementById(key)!.textContent = String(counters[key]);
    this.note(`Updated ${new Date(counters.updatedAt).toLocaleTimeString()}`);
    const figures = KEYS.map((k) => counters[k]).join();
    const changed = figures !== this.last;
    this.last = figures;
    return changed;
  }

  note(text: string): void {
    document.getElementById('countersNote')!.textContent = text;
  }
}
