/**
 * The alert list: filled from RecentAlerts when the page opens, then each live alert prepended.
 * One entry per case (a live alert already listed is not repeated); at most 50 entries.
 * Each entry says where it came from in `data-source` (recent or live).
 */
import type { AlertRaisedSubscription, RecentAlertsQuery } from '../../../operations/generated/graphql';

type LiveAlert = AlertRaisedSubscription['alertRaised'];
type RecentAlert = RecentAlertsQuery['recentAlerts'][number];

const MAX_ENTRIES = 50;

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}) =>
  Object.assign(document.createElement(tag), props);

/** The list in `#alerts`, with the `#empty` note shown while it has no entry. */
export class AlertsList {
  private readonly list = document.getElementById('alerts') as HTMLOListElement;
  private readonly empty = document.getElementById('empty')!;

  /** Appends recent alerts (newest first) below what is listed. */
  seed(alerts: readonly RecentAlert[]): void {
    for (const a of alerts) {
      if (this.has(a.case.id)) continue;
      this.list.append(this.render(a.case, a.raisedAt, 'recent'));
    }
    this.trim();
  }

  /** Puts a live alert on top. */
  prepend(alert: LiveAlert): void {
    this.list.querySelector(`[data-case-id="${CSS.escape(alert.case.id)}"]`)?.remove();
    this.list.prepend(this.render(alert.case, alert.raisedAt, 'live', alert.message, alert.case.photoUrl));
    this.trim();
  }

  private has(caseId: string): boolean {
    return this.list.querySelector(`[data-case-id="${CSS.escape(caseId)}"]`) !== null;
  }

  private trim(): void {
    while (this.list.children.length > MAX_ENTRIES) this.list.lastElementChild!.remove();
    this.empty.hidden = this.list.children.length > 0;
  }

  private render(
    c: RecentAlert['case'],
    raisedAt: string,
    source: 'recent' | 'live',
    message?: string,
    photoUrl?: string | null,
  ): HTMLLIElement {
    const li = el('li', { className: `alert ${source}` });
    li.dataset.caseId = c.id;
    li.dataset.source = source;
    const photo = photoUrl
      ? el('img', { src: photoUrl, alt: `Photo of ${c.childName}` })
      : el('div', { className: 'nophoto', textContent: 'no photo' });
    const body = el('div');
    body.append(
      el('h3', { textContent: c.childName }),
      el('p', { textContent: `Last seen: ${c.lastSeenPlace}` }),
      el('p', { textContent: `Raised ${new Date(raisedAt).toLocaleString()} · ${c.reportId}` }),
    );
    if (message) body.append(el('p', { textContent: message }));
    li.append(photo, body);
    return li;
  }
}
