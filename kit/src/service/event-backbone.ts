import { ChangeSetType, type MikroORM } from '@mikro-orm/core';
import { Redis } from 'ioredis';
import { InProcessBus, OutboxEvent, OutboxRelay, RedisStreamsBus, type EventBus } from '../events';
import { outsideLogScope, type Logger } from '../logging/logger';
import type { SubgraphConfig } from './subgraph.config';

/** The bus every subgraph of this process shares in the embedded default. */
let processBus: InProcessBus | undefined;
let processBusUsers = 0;

/** A service's connection to the event bus, and how to let go of it. */
export interface BusHandle {
  bus: EventBus;
  kind: 'redis' | 'in-process';
  /** Redis reachable (always true in-process), for `/ready`. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Redis Streams when REDIS_URL is set (prefix REDIS_PREFIX), else the in-process bus shared by
 * all subgraphs running in this process (the embedded default).
 */
export function openBus(config: Pick<SubgraphConfig, 'redisUrl' | 'redisPrefix'>, log: Logger): BusHandle {
  if (config.redisUrl) {
    const bus = new RedisStreamsBus({
      redis: config.redisUrl,
      prefix: config.redisPrefix,
      logger: log.child({ component: 'bus' }),
    });
    const probe = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    probe.on('error', () => undefined); // readiness reports it; no unhandled error events
    return {
      bus,
      kind: 'redis',
      async ping() {
        try {
          if (probe.status === 'wait') await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          return false;
        }
      },
      async close() {
        await bus.close();
        probe.disconnect();
      },
    };
  }
  processBus ??= new InProcessBus({ logger: log.child({ component: 'bus' }) });
  processBusUsers += 1;
  const bus = processBus;
  return {
    bus,
    kind: 'in-process',
    ping: async () => true,
    async close() {
      processBusUsers -= 1;
      if (processBusUsers === 0 && processBus === bus) {
        processBus = undefined;
        await bus.close();
      }
    },
  };
}

/**
 * Starts the service's outbox relay and kicks it once a commit made outbox rows visible, so events
 * leave right after their transaction; the relay's polling (every second) catches anything else,
 * such as rows written in a nested transaction.
 *
 * Only flushes that *insert* outbox rows count, and only the commit of the transaction that holds
 * them: kicking on every commit made the relay's own commit (which updates outbox rows) kick it
 * again, so every service ran relay transactions back to back, several hundred per second, idle.
 */
export function startRelay(
  orm: MikroORM,
  bus: EventBus,
  log: Logger,
  options: { intervalMs?: number } = {},
): OutboxRelay {
  const relay = new OutboxRelay(orm, bus, {
    logger: log.child({ component: 'relay' }),
    intervalMs: options.intervalMs,
  });
  // Transactions (their driver context) that flushed new outbox rows and have not committed yet.
  const holdingEvents = new WeakSet<object>();
  // The relay's work is background work: it must not inherit the request's scope (logs, SQL counts).
  const kick = () => {
    outsideLogScope(() => setImmediate(() => relay.kick()));
  };
  orm.em.getEventManager().registerSubscriber({
    afterFlush: ({ em, uow }) => {
      if (!uow.getChangeSets().some((cs) => cs.type === ChangeSetType.CREATE && cs.entity instanceof OutboxEvent))
        return;
      const trx = em.getTransactionContext() as object | undefined;
      if (trx) holdingEvents.add(trx);
      else kick(); // the flush ran in its own transaction, already committed
    },
    afterTransactionCommit: ({ transaction }) => {
      if (transaction && holdingEvents.delete(transaction as object)) kick();
    },
  });
  relay.start();
  return relay;
}
