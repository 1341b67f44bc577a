import { serverAudits } from 'graphql-http';
import { describe, expect, it, inject } from 'vitest';

/**
 * GraphQL over HTTP conformance of the router: graphql-http's own server audits, run against the
 * suite's router. Every MUST and every SHOULD passes; MAY audits are choices (GET, 400s for
 * malformed parameters) and are not asserted.
 */
describe('GraphQL over HTTP (graphql-http server audits)', () => {
  const audits = serverAudits({ url: () => inject('routerUrl'), fetchFn: fetch });

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
