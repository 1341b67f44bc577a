import { Gauge, type Registry } from 'prom-client';

/**
 * Registers `subscriptions_open` on `registry`: what `read` says is open each time `/metrics` is
 * scraped. A number is one unlabelled value (a subgraph's subscriptions); a record sets one value
 * per `kind` label (the router's client sockets, client subscriptions and upstreams).
 */
export function subscriptionsGauge(
  registry: Registry,
  help: string,
  read: () => number | Readonly<Record<string, number>>,
): Gauge<'kind'> {
  return new Gauge({
    name: 'subscriptions_open',
    help,
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const open = read();
      if (typeof open === 'number') return void this.set(open);
      for (const [kind, value] of Object.entries(open)) this.set({ kind }, value);
    },
  });
}
