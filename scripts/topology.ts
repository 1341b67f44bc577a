/**
 * The services of the platform: one name each (folder, compose service, rover key, database,
 * Redis prefix, log `service` field) and its default port. Scripts, tests and the router read it.
 */
export const SUBGRAPHS = [
  { name: 'users', port: 4001 },
  { name: 'cases', port: 4002 },
  { name: 'plants', port: 4003 },
  { name: 'notifications', port: 4004 },
  { name: 'analytics', port: 4005 },
] as const;

/** The router's default port. */
export const ROUTER_PORT = 4000;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];
