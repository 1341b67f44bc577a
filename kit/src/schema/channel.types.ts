import { registerEnumType } from 'type-graphql';

/**
 * Every way a notification can reach a person: the GraphQL enum `Channel` of notifications and
 * analytics (registered here, once) and the TypeScript type of a channel. `Channel.EMAIL` is the value
 * `'EMAIL'`, so the plain names are channels too. Event payloads carry the name in lower case.
 */
export const Channel = {
  EMAIL: 'EMAIL',
  SMS: 'SMS',
  TELEGRAM: 'TELEGRAM',
  DISCORD: 'DISCORD',
  PUSH: 'PUSH',
  IN_APP: 'IN_APP',
} as const;

/** One of the {@link Channel} names. */
export type Channel = (typeof Channel)[keyof typeof Channel];

/** Every channel, in the order of the enum (the order of charts and reports). */
export const CHANNELS: readonly Channel[] = Object.values(Channel);

registerEnumType(Channel, { name: 'Channel', description: 'A way a notification reaches a person.' });
