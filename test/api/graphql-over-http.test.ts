import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { RunningRouter } from '../../router/src/server';
import { routerWith } from '../support/router-with';

/**
 * GraphQL over HTTP conformance of the router: graphql-http's own server audits, run against the
 * suite's router. Every MUST and every SHOULD passes; MAY audits are choices (GET, 400s for
 * malformed parameters) and are not asserted. Several audits ask `__type`: on the production path,
 * where introspection is off by default, they run against a router of the suite's settings with
 * INTROSPECTION=true (as an operator who wants it sets).
 */
describe('GraphQL over HTTP (graphql-http server audits)', () => {
  let introspecting: RunningRouter | undefined;
  beforeAll(async () => {
    if (inject('mode') === 'production') introspecting = await routerWith({ INTROSPECTION: 'true', REDIS_URL: '' });
  });
  afterAll(() => introspecting?.stop());
  const audits = serverAudits({ url: () => introspecting?.url ?? inject('routerUrl'), fetchFn: fetch });

  it('has audits to run at every level', () => {
    expect(audits.filter((a) => a.name.startsWith('MUST ')).length).toBeGreaterThan(10);
    expect(audits.filter((a) => a.name.startsWith('SHOULD ')).length).toBeGreaterThan(10);
  });

  for (const audit of audits.filter((a) => !a.name.startsWith('MAY '))) {
    it(`${audit.id}: ${audit.name}`, async () => {
      const result = await audit.fn();
      const reason = result.status === 'ok' ? '' : `${result.reason} (status ${result.response.status})`;
      expect(result.status, reason).toBe('ok');
    });
  }
});
