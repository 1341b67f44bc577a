import { resolve } from 'node:path';
import express, { type Router } from 'express';
import { sendJsonError } from '@supergraph/kit';

/** The built live dashboard (`npm run build:dashboard`). */
const DASHBOARD_DIR = resolve(__dirname, '..', 'dashboard', 'dist');

/** What the router hands the dashboard page at `/dashboard/config.json`. */
export interface DashboardConfig {
  /** Map tiles, a Leaflet URL template (`{z}/{x}/{y}`); OpenStreetMap's by default. */
  tileUrl: string;
  /** The tiles' attribution (HTML, shown in the map's corner). */
  tileAttribution: string;
}

/**
 * The `/dashboard` routes: `config.json` (the map's tile source, never cached long so a changed
 * setting reaches open pages at their next load), then the built page; a 404 JSON error when the
 * page was not built.
 */
export function dashboardPage(config: DashboardConfig): Router {
  const router = express.Router();
  router.get('/config.json', (_req, res) => void res.set('cache-control', 'no-cache').json(config));
  router.use(express.static(DASHBOARD_DIR, { index: 'index.html', maxAge: '5m' }), (_req, res) =>
    sendJsonError(res, 404, 'NOT_FOUND', 'The dashboard is not built: run `npm run build:dashboard`.'),
  );
  return router;
}
