import { parse } from 'graphql';
import type { BenchContext, BenchRequest, Scenario } from './scenarios';

const CASE_FIELDS = 'id reportId status childName age gender description lastSeenAt lastSeenPlace location { lat lng }';
const one = (request: BenchRequest) => () => [request];
/** How many different signed-in users send `Me` in the distinct scenario. */
const ME_USERS = 200;

/** The benchmark scenarios, in report order (identical, then distinct, then mutations). */
export const SCENARIOS: Scenario[] = [
  {
    id: 'me',
    name: 'Me',
    kind: 'identical',
    description: 'single-subgraph query (users), every request from the same signed-in user',
    needs: ['users'],
    sqlFrom: ['users'],
    operation: parse('query Me { me { id email displayName role createdAt } }'),
    requests: one({ variables: {}, user: 0 }),
    compareDirect: 'users',
    comparePeers: true,
  },
  {
    id: 'case-stats',
    name: 'CaseStats',
    kind: 'identical',
    description: 'single-subgraph query (cases), anonymous',
    needs: ['cases'],
    sqlFrom: ['cases'],
    operation: parse('query CaseStats { caseStats { total missing found closed } }'),
    requests: one({ variables: {} }),
    compareDirect: 'cases',
    comparePeers: true,
  },
  {
    id: 'cases-50',
    name: 'Cases(first: 50)',
    kind: 'identical',
    description: 'query across three subgraphs: cases, reporter from users, riskZone from analytics; anonymous',
    needs: ['cases', 'users', 'analytics'],
    sqlFrom: ['cases', 'users', 'analytics'],
    operation: parse(`query Cases50 {
      cases(first: 50) { totalCount edges { node { id reportId childName status reporter { id displayName } riskZone { id riskLevel } } } }
    }`),
    requests: one({ variables: {} }),
    comparePeers: true,
  },
  {
    id: 'case-by-id',
    name: 'case(id)',
    kind: 'distinct',
    description: 'single-subgraph query (cases), one of the seeded cases per request in rotation; anonymous',
    needs: ['cases'],
    sqlFrom: ['cases'],
    operation: parse(`query CaseById($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`),
    requests: (ctx) => ctx.caseIds.map((id) => ({ variables: { id } })),
    compareDirect: 'cases',
    comparePeers: true,
  },
  {
    id: 'case-with-reporter',
    name: 'case(id) + reporter',
    kind: 'distinct',
    description:
      'query across two subgraphs: a seeded case per request in rotation, its reporter from users; anonymous',
    needs: ['cases', 'users'],
    sqlFrom: ['cases', 'users'],
    operation: parse(
      `query CaseWithReporter($id: ID!) { case(id: $id) { ${CASE_FIELDS} reporter { id displayName } } }`,
    ),
    requests: (ctx) => ctx.caseIds.map((id) => ({ variables: { id } })),
    comparePeers: true,
  },
  {
    id: 'me-by-user',
    name: 'Me, distinct users',
    kind: 'distinct',
    description: `single-subgraph query (users), each request from one of the seeded signed-in users (up to ${ME_USERS}) in rotation, with their own access tokens`,
    needs: ['users'],
    sqlFrom: ['users'],
    operation: parse('query Me { me { id email displayName role createdAt } }'),
    requests: (ctx: BenchContext) => ctx.sessions.users.slice(0, ME_USERS).map((_, user) => ({ variables: {}, user })),
    compareDirect: 'users',
    comparePeers: true,
  },
  {
    id: 'cases-paged',
    name: 'Cases paged',
    kind: 'distinct',
    description:
      'single-subgraph query (cases): `cases(first: 20, after: $after)` over every cursor of the list in rotation; anonymous',
    needs: ['cases'],
    sqlFrom: ['cases'],
    operation: parse(`query CasesPage($after: String) {
      cases(first: 20, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id reportId childName status lastSeenAt } }
      }
    }`),
    requests: (ctx) => ctx.caseCursors.map((after) => ({ variables: { after } })),
    compareDirect: 'cases',
    comparePeers: true,
  },
  {
    id: 'report-sighting',
    name: 'ReportSighting',
    kind: 'mutation',
    description: 'mutation (cases), anonymous sighting of a seeded case',
    needs: ['cases'],
    sqlFrom: ['cases'],
    operation: parse(`mutation ReportSighting($input: ReportSightingInput!) {
      reportSighting(input: $input) { id seenAt place case { id } }
    }`),
    requests: (ctx) => {
      const input = {
        caseId: ctx.caseIds[0],
        seenAt: new Date(Date.now() - 60_000).toISOString(),
        place: 'Lyon',
        description: 'benchmark sighting',
      };
      return [{ variables: { input } }];
    },
    comparePeers: false,
  },
];
