/**
 * The live dashboard: counters, recent and live alerts, a map of open cases and, for a signed-in
 * ADMIN, risk zones and the 30-day trend. It opens with RecentAlerts and the open cases, then
 * stays live from `alertRaised` and `dashboardUpdated`: a live alert is listed and marked at once,
 * and whenever the counters change the map, zones and trend are read again (at most every 2 s).
 * It uses the project's generated typed operations, so a contract change breaks this build.
 */
import {
  AlertRaisedDocument,
  CaseTrendDocument,
  DashboardOpenCasesDocument,
  DashboardUpdatedDocument,
  RecentAlertsDocument,
  RiskZonesDocument,
} from '../../../operations/generated/graphql';
import { AlertsList } from './alerts.list';
import { mountAuthPanel } from './auth.panel';
import { Session } from './auth.session';
import { CasesMap } from './cases.map';
import { CountersPanel } from './counters.panel';
import { request } from './graphql.client';
import { live, openLiveSocket } from './live.socket';
import { loadPageConfig } from './page.config';
import { TrendChart } from './trend.chart';

const TREND_DAYS = 30;
const REFRESH_MS = 2_000;
const ADMIN_HINT = 'Sign in as an ADMIN to see the trend and the risk zones.';

const note = (id: string, text: string) => (document.getElementById(id)!.textContent = text);

async function main(): Promise<void> {
  const session = new Session();
  const list = new AlertsList();
  const counters = new CountersPanel();
  const chart = new TrendChart();
  const map = new CasesMap(await loadPageConfig());
  mountAuthPanel(session);

  const loadRecent = () =>
    request(RecentAlertsDocument, { first: 20 })
      .then(({ recentAlerts }) => list.seed(recentAlerts))
      .catch((err: Error) => note('alertsNote', `Recent alerts unavailable: ${err.message}`));
  const loadOpenCases = () =>
    request(DashboardOpenCasesDocument, { first: 100 })
      .then(({ cases }) => {
        map.setOpenCases(cases.edges.map((e) => e.node));
        note(
          'mapNote',
          cases.totalCount > cases.edges.length
            ? `The newest ${cases.edges.length} of ${cases.totalCount} open cases.`
            : '',
        );
      })
      .catch((err: Error) => note('mapNote', `Open cases unavailable: ${err.message}`));
  const loadAdminViews = async () => {
    if (session.role !== 'ADMIN') {
      map.setZones(null);
      chart.hide(ADMIN_HINT);
      return;
    }
    const now = Date.now();
    const from = new Date(now - (TREND_DAYS - 1) * 86_400_000).toISOString();
    const [zones, trend] = await Promise.allSettled([
      session.request(RiskZonesDocument, { minScore: null }),
      session.request(CaseTrendDocument, { interval: 'DAY', from, to: new Date(now).toISOString() }),
    ]);
    if (zones.status === 'fulfilled') map.setZones(zones.value.riskZones);
    if (trend.status === 'fulfilled') chart.show(trend.value.caseTrend);
    else chart.hide(`Trend unavailable: ${(trend.reason as Error).message}`);
  };

  // Reads the map and ADMIN views again after changes, at most once per REFRESH_MS.
  let timer: ReturnType<typeof setTimeout> | null = null;
  const refreshSoon = () => {
    timer ??= setTimeout(() => {
      timer = null;
      void loadOpenCases();
      void loadAdminViews();
    }, REFRESH_MS);
  };
  session.onChange(() => void loadAdminViews());

  const socket = openLiveSocket(() => session.accessToken);
  live(
    socket,
    AlertRaisedDocument,
    ({ alertRaised }) => {
      list.prepend(alertRaised);
      map.addCase(alertRaised.case);
      refreshSoon();
    },
    (message) => note('alertsNote', `Live alerts interrupted: ${message}`),
  );
  live(
    socket,
    DashboardUpdatedDocument,
    ({ dashboardUpdated }) => {
      if (counters.show(dashboardUpdated)) refreshSoon();
    },
    (message) => counters.note(`Counters unavailable: ${message}`),
  );
  await Promise.all([loadRecent(), loadOpenCases(), loadAdminViews()]);
  document.body.dataset.loaded = 'true';
}

void main();
