/**
 * The map: open cases as markers (vector circles, no images to load) and, for an ADMIN, risk
 * zones as circles coloured by level. Tiles come from the URL the router configures; when they
 * cannot load the page says so and the markers stay (the map then shows them on a plain ground).
 * Markers carry `data-case-id`, zones `data-zone-id`.
 */
import L from 'leaflet';
import type { DashboardOpenCasesQuery, RiskLevel, RiskZonesQuery } from '../../../operations/generated/graphql';
import type { PageConfig } from './page.config';

type OpenCase = DashboardOpenCasesQuery['cases']['edges'][number]['node'];
type Zone = RiskZonesQuery['riskZones'][number];
/** What a marker needs: an open case or a live alert's case. */
export type MappedCase = Pick<OpenCase, 'id' | 'reportId' | 'childName' | 'lastSeenPlace' | 'location'>;

const LEVEL_COLOURS: Record<RiskLevel, string> = {
  LOW: '#2e7d32',
  MEDIUM: '#f9a825',
  HIGH: '#ef6c00',
  CRITICAL: '#c62828',
};

/** The Leaflet map in `#map`. */
export class CasesMap {
  private readonly map: L.Map;
  private readonly cases = L.layerGroup();
  private readonly zones = L.layerGroup();
  private readonly markers = new Map<string, L.CircleMarker>();
  private fitted = false;

  constructor(config: PageConfig) {
    this.map = L.map('map', { worldCopyJump: true, preferCanvas: false }).setView([30, 10], 2);
    let warned = false;
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 18 })
      .on('tileerror', () => {
        if (warned) return;
        warned = true;
        document.getElementById('tilesNote')!.textContent = 'Map tiles could not load; the cases are still marked.';
        document.getElementById('map')!.dataset.tiles = 'unavailable';
      })
      .addTo(this.map);
    this.zones.addTo(this.map);
    this.cases.addTo(this.map);
  }

  /** Replaces the markers by those of `open` (cases that were found or closed disappear). */
  setOpenCases(open: readonly MappedCase[]): void {
    const keep = new Set(open.map((c) => c.id));
    for (const [id, marker] of this.markers) {
      if (keep.has(id)) continue;
      this.cases.removeLayer(marker);
      this.markers.delete(id);
    }
    for (const c of open) this.addCase(c);
    this.count();
    const points = [...this.markers.values()].map((m) => m.getLatLng());
    if (!this.fitted && points.length > 0) {
      this.fitted = true;
      this.map.fitBounds(L.latLngBounds(points), { maxZoom: 9, padding: [24, 24] });
    }
  }

  /** Adds (or moves) the marker of one case; a case without a location is left off the map. */
  addCase(c: MappedCase): void {
    if (!c.location) return;
    const at = L.latLng(c.location.lat, c.location.lng);
    const existing = this.markers.get(c.id);
    if (existing) return void existing.setLatLng(at);
    const marker = L.circleMarker(at, {
      radius: 8,
      color: '#fff',
      weight: 2,
      fillColor: '#c81e1e',
      fillOpacity: 0.9,
      className: 'case-marker',
    })
      .bindTooltip(`${escapeHtml(c.childName)} · ${escapeHtml(c.reportId)}<br>${escapeHtml(c.lastSeenPlace)}`)
      .addTo(this.cases);
    marker.getElement()?.setAttribute('data-case-id', c.id);
    this.markers.set(c.id, marker);
    this.count();
  }

  /** Shows risk zones, or none (signed out, or not an ADMIN). */
  setZones(zones: readonly Zone[] | null): void {
    this.zones.clearLayers();
    for (const z of zones ?? []) {
      const colour = LEVEL_COLOURS[z.riskLevel];
      const label = `Risk ${z.riskLevel} (${Math.round(z.riskScore)}) · ${z.caseCount} open case${z.caseCount === 1 ? '' : 's'}`;
      const area = L.circle([z.center.lat, z.center.lng], {
        radius: z.radiusKm * 1000,
        color: colour,
        fillColor: colour,
        fillOpacity: 0.15,
        className: 'risk-zone',
      });
      // A ring of fixed screen size too: a zone of a few kilometres is invisible when zoomed out.
      const ring = L.circleMarker([z.center.lat, z.center.lng], {
        radius: 16,
        color: colour,
        weight: 3,
        dashArray: '4 3',
        fillOpacity: 0.1,
        className: 'risk-zone-ring',
      });
      for (const shape of [area, ring]) shape.bindTooltip(label).addTo(this.zones);
      area.getElement()?.setAttribute('data-zone-id', z.id);
    }
    document.getElementById('map')!.dataset.zones = String(zones?.length ?? 0);
  }

  private count(): void {
    document.getElementById('map')!.dataset.markers = String(this.markers.size);
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
