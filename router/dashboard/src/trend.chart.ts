/**
 * The trend chart (uPlot): cases reported, found and closed and sightings per UTC day from
 * `caseTrend`, for an ADMIN. `#trend` carries the bucket count and each measure's total as data
 * attributes, and a one-line summary is written under the chart for those who cannot see it.
 */
import uPlot from 'uplot';
import type { CaseTrendQuery } from '../../../operations/generated/graphql';

type Bucket = CaseTrendQuery['caseTrend'][number];
const SERIES = [
  { key: 'reported', label: 'reported', stroke: '#c81e1e' },
  { key: 'found', label: 'found', stroke: '#0f6b2e' },
  { key: 'closed', label: 'closed', stroke: '#555' },
  { key: 'sightings', label: 'sightings', stroke: '#1f5fbf' },
] as const;

/** The chart in `#trend` and its note `#trendNote`. */
export class TrendChart {
  private readonly el = document.getElementById('trend')!;
  private readonly note = document.getElementById('trendNote')!;
  private plot: uPlot | null = null;

  constructor() {
    window.addEventListener('resize', () => this.plot?.setSize(this.size()));
  }

  /** Draws `buckets` (oldest first), replacing what was shown. */
  show(buckets: readonly Bucket[]): void {
    const data: uPlot.AlignedData = [
      buckets.map((b) => Date.parse(b.start) / 1000),
      ...SERIES.map((s) => buckets.map((b) => b[s.key])),
    ];
    if (!this.plot) {
      this.el.textContent = '';
      this.plot = new uPlot(
        {
          ...this.size(),
          tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
          scales: { y: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
          series: [
            { label: 'day (UTC)' },
            ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, points: { show: true, size: 4 } })),
          ],
          axes: [{}, { values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) }],
        },
        data,
        this.el,
      );
    } else this.plot.setData(data);
    this.el.dataset.buckets = String(buckets.length);
    const totals = SERIES.map((s) => [s.key, buckets.reduce((sum, b) => sum + b[s.key], 0)] as const);
    for (const [key, total] of totals) this.el.dataset[key] = String(total);
    const today = buckets.at(-1);
    if (today) this.el.dataset.reportedToday = String(today.reported);
    this.note.textContent = `Last ${buckets.length} days: ${totals.map(([k, n]) => `${n} ${k}`).join(', ')}.`;
  }

  /** Removes the chart and says why (e.g. not signed in as an ADMIN). */
  hide(message: string): void {
    this.plot?.destroy();
    this.plot = null;
    this.el.textContent = '';
    for (const key of Object.keys(this.el.dataset)) delete this.el.dataset[key];
    this.note.textContent = message;
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(280, this.el.clientWidth || 480), height: 240 };
  }
}
