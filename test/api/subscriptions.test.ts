import { createClient, type Client } from 'graphql-ws';
import { print } from 'graphql';
import WebSocket from 'ws';
import { describe, expect, it, inject } from 'vitest';
import { AlertRaisedDocument } from '../../operations/generated/graphql';

/** A gauge from a service's /metrics, summed over the label sets that match `labels`. */
async function gauge(url: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  return text
    .split('\n')
    .filter((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(labels))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('federated subscriptions through the router', () => {
  it('shares one upstream between 100 identical subscribers and closes it when they all leave', async () => {
    const routerUrl = inject('routerUrl');
    const notificationsUrl = inject('subgraphUrls').notifications!;
    const clients: Client[] = [];
    const acks: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) {
      const client = createClient({
        url: routerUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      acks.push(new Promise<void>((resolve) => client.on('connected', () => resolve())));
      client.subscribe(
        { query: print(AlertRaisedDocument) },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    }
    await Promise.all(acks);
    await until(async () => (await gauge(routerUrl, 'subscriptions_open', 'kind="client_subscriptions"')) >= 100);
    // One upstream for all: same operation, same variables, same (anonymous) identity.
    expect(await gauge(routerUrl, 'subscriptions_open', 'kind="upstreams"')).toBe(1);
    expect(await gauge(notificationsUrl, 'subscriptions_open')).toBe(1);

    await Promise.all(clients.map((c) => c.dispose()));
    await until(async () => (await gauge(routerUrl, 'subscriptions_open', 'kind="upstreams"')) === 0);
    await until(async () => (await gauge(notificationsUrl, 'subscriptions_open')) === 0);
    expect(await gauge(routerUrl, 'subscriptions_open', 'kind="client_subscriptions"')).toBe(0);
  });
});
