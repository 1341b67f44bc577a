import { parse } from 'graphql';
import type { Scenario } from './scenarios';

/** The benchmark scenarios, in report order. */
export const SCENARIOS: Scenario[] = [
  {
    name: 'Me',
    description: 'single-subgraph query (users), signed in',
    needs: ['users'],
    sqlFrom: ['users'],
    operation: parse('query Me { me { id email displayName role createdAt } }'),
    variables: () => ({}),
    compareDirect: 'users',
    comparePlain: true,
    authenticated: true,
  },
  {
    name: 'CaseStats',
    description: 'single-subgraph query (cases), anonymous',
    needs: ['cases'],
    sqlFrom: ['cases'],
    operation: parse('query CaseStats { caseStats { total missing found closed } }'),
    variables: () => ({}),
    compareDirect: 'cases',
    comparePlain: true,
    authenticated: false,
  },
  {
    name: 'Cases(first: 50)',
    description: 'query across three subgraphs: cases, reporter from users, riskZone from analytics',
    needs: ['cases', 'users', 'analytics'],
    sqlFrom: ['cases', 'users', 'analytics'],
    operation: parse(
      'query Cases50 { cases(first: 50) { totalCount edges { node { id reportId childName status reporter { id displayName } riskZone { id riskLevel } } } } }',
    ),
    variables: () => ({}),
    comparePlain: true,
    authenticated: false,
  },
  {
    name: 'ReportSighting',
    description: 'mutation (cases), anonymous sighting of a seeded case',
    needs: ['cases'],
    sqlFrom: ['cases'],
    operation: parse('mutation ReportSighting($input: ReportSightingInput!) { reportSighting(input: $input) { id seenAt place case { id } } }'),
    variables: (ctx) => ({ input: { caseId: ctx.caseIds[0], seenAt: new Date(Date.now() - 60_000).toISOString(), place: 'Lyon', description: 'benchmark sighting' } }),
    authenticated: false,
  },
];
