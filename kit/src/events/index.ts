/** Event backbone of every subgraph: catalogue, transactional outbox, relay, buses, consumers. */
export * from './event.types';
export type {
  DeadLetter,
  DeadLetterSource,
  EventBus,
  EventHandler,
  SubscribeOptions,
  EventSubscription,
} from './event.bus';
export { defaultEventLogger, type EventLogger } from './event.logger';
export { OutboxEvent } from './outbox.entity';
export { ProcessedEvent } from './processed-event.entity';
export { EVENT_ENTITIES, EVENTS_MIGRATION_SQL } from './event.schema';
export { emitEvent, emitterOf, toEnvelope, type Emit, type EmitOptions } from './outbox';
export { OutboxRelay, type OutboxRelayOptions, type RelayRound } from './outbox.relay';
export {
  consume,
  defineConsumer,
  type Consumer,
  type ConsumerDefinition,
  type ConsumeOptions,
  type HandledOutcome,
} from './event.consumer';
export { InProcessBus, type InProcessBusOptions } from './in-process.bus';
export { RedisStreamsBus, type RedisStreamsBusOptions } from './redis-streams.bus';
