import { randomUUID } from 'node:crypto';
import {
  acceptsType,
  backoffDelay,
  type DeadLetter,
  type DeadLetterSource,
  type EventBus,
  type EventHandler,
  type EventSubscription,
  type SubscribeOptions,
} from './event.bus';
import { defaultEventLogger, errorMessage, type EventLogger } from './event.logger';
import type { EventEnvelope, EventType } from './event.types';

/** Settings of the in-process bus. */
export interface InProcessBusOptions {
  /** Failed deliveries after which an event becomes a dead letter (default 5). */
  maxDeliveries?: number;
  /** First retry delay; doubles per failure (default 100 ms). */
  retryBaseMs?: number;
  /** Longest retry delay (default 30 s). */
  retryMaxMs?: number;
  /** Recent events kept for groups that join later (default 10 000). */
  retain?: number;
  logger?: EventLogger;
}

interface Entry {
  /** Serialised envelope: every delivery gets a fresh copy, as over a real wire. */
  json: string;
  deliveries: number;
}

interface Member {
  name: string;
  handler: EventHandler;
  types?: readonly EventType[];
  maxDeliveries: number;
  closed: boolean;
}

interface Group {
  name: string;
  queue: Entry[];
  members: Member[];
  next: number;
  pumping: boolean;
  /** The delivery in progress, awaited by close(). */
  current: Promise<void> | null;
}

/**
 * Embedded default bus: everything stays in this process. Each consumer group has its own
 * queue that receives every event published after the group was first subscribed (or, with
 * `startFrom: 'beginning'`, also the last `retain` events, default 10 000); members
 * of a group take turns (round robin); a failing delivery is retried with exponential backoff
 * while the group goes on with other events, and after `maxDeliveries` failures it is kept as
 * a dead letter (in memory, and logged at error level).
 *
 * Delivery is at-least-once for the life of the process; queued events do not survive a
 * restart (the outbox rows are already marked published by then), which is the accepted
 * trade-off of the single-process embedded mode. Use RedisStreamsBus where that matters.
 */
export class InProcessBus implements EventBus, DeadLetterSource {
  private readonly groups = new Map<string, Group>();
  /** The most recent events, replayed to a group that joins later (as Redis Streams keeps them). */
  private readonly retained: string[] = [];
  private readonly retain: number;
  private readonly dead: DeadLetter[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly maxDeliveries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly logger: EventLogger;
  private closed = false;

  constructor(options: InProcessBusOptions = {}) {
    this.maxDeliveries = options.maxDeliveries ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 100;
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
    this.logger = options.logger ?? defaultEventLogger();
    this.retain = options.retain ?? 10_000;
  }

  /** Queues the event for every existing group; delivery happens asynchronously. */
  async publish(envelope: EventEnvelope): Promise<void> {
    if (this.closed) throw new Error('event bus is closed: cannot publish');
    const json = JSON.stringify(envelope);
    this.retained.push(json);
    if (this.retained.length > this.retain) this.retained.shift();
    for (const group of this.groups.values()) {
      group.queue.push({ json, deliveries: 0 });
      this.schedulePump(group);
    }
  }

  /** Joins (creating it if needed) a consumer group; queued events of the group flow to it. */
  async subscribe<T extends EventType = EventType>(
    groupName: string,
    handler: EventHandler<T>,
    opts: SubscribeOptions<T> = {},
  ): Promise<EventSubscription> {
    if (this.closed) throw new Error('event bus is closed: cannot subscribe');
    let group = this.groups.get(groupName);
    if (!group) {
      const backlog = opts.startFrom === 'beginning' ? this.retained.map((json) => ({ json, deliveries: 0 })) : [];
      group = { name: groupName, queue: backlog, members: [], next: 0, pumping: false, current: null };
      this.groups.set(groupName, group);
    }
    const member: Member = {
      name: opts.consumerName ?? randomUUID(),
      handler: handler as EventHandler,
      types: opts.types,
      maxDeliveries: opts.maxDeliveries ?? this.maxDeliveries,
      closed: false,
    };
    group.members.push(member);
    this.schedulePump(group);
    const g = group;
    return {
      group: groupName,
      close: async () => {
        member.closed = true;
        g.members = g.members.filter((m) => m !== member);
        await g.current;
      },
    };
  }

  /** Dead letters recorded so far, oldest first. */
  async deadLetters(group?: string): Promise<DeadLetter[]> {
    return this.dead.filter((d) => group === undefined || d.group === group).map((d) => ({ ...d }));
  }

  /** Stops all deliveries and retries; resolves after the handlers in progress have finished. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const running = [...this.groups.values()].map((g) => g.current);
    for (const g of this.groups.values()) {
      g.members = [];
      g.queue = [];
    }
    await Promise.all(running);
  }

  private schedulePump(group: Group): void {
    if (group.pumping || this.closed) return;
    group.pumping = true;
    // Deliver outside the publisher's call stack (and its transaction, if any).
    setImmediate(() => {
      void this.pump(group);
    });
  }

  private async pump(group: Group): Promise<void> {
    try {
      while (!this.closed && group.queue.length > 0 && group.members.length > 0) {
        const entry = group.queue.shift()!;
        const member = group.members[group.next++ % group.members.length];
        group.current = this.deliver(group, member, entry);
        await group.current;
        group.current = null;
      }
    } finally {
      group.pumping = false;
    }
  }

  private async deliver(group: Group, member: Member, entry: Entry): Promise<void> {
    const envelope = JSON.parse(entry.json) as EventEnvelope;
    if (!acceptsType(member.types, envelope.type)) return;
    entry.deliveries++;
    try {
      await member.handler(envelope);
    } catch (err) {
      const error = errorMessage(err);
      if (entry.deliveries >= member.maxDeliveries) {
        const letter: DeadLetter = {
          group: group.name,
          envelope,
          deliveries: entry.deliveries,
          error,
          deadAt: new Date().toISOString(),
        };
        this.dead.push(letter);
        this.logger.error(
          { group: group.name, eventId: envelope.id, type: envelope.type, deliveries: entry.deliveries, err: error },
          'event handler kept failing: event moved to dead letters',
        );
        return;
      }
      const delay = backoffDelay(entry.deliveries, this.retryBaseMs, this.retryMaxMs);
      this.logger.warn(
        {
          group: group.name,
          eventId: envelope.id,
          type: envelope.type,
          deliveries: entry.deliveries,
          retryInMs: delay,
          err: error,
        },
        'event handler failed: will retry',
      );
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.closed) return;
        group.queue.push(entry);
        this.schedulePump(group);
      }, delay);
      this.timers.add(timer);
    }
  }
}
