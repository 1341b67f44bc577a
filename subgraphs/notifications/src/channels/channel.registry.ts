import type { Channel } from '@supergraph/kit';
import type { ChannelSender } from './channel.types';
import { DiscordSender, type DiscordConfig } from './discord.sender';
import { EmailSender, type EmailConfig } from './email.sender';
import { InAppSender } from './in-app.sender';
import { PushSender, type PushConfig } from './push.sender';
import { SmsSender, type SmsConfig } from './sms.sender';
import { TelegramSender, type TelegramConfig } from './telegram.sender';

/**
 * Provider settings for every channel. A section left out leaves its channel unconfigured:
 * its sender exists, `isConfigured()` is false, and deliveries on it are SKIPPED.
 * IN_APP needs no settings.
 */
export interface ChannelsConfig {
  email?: EmailConfig;
  telegram?: TelegramConfig;
  discord?: DiscordConfig;
  sms?: SmsConfig;
  push?: PushConfig;
}

/** One sender per channel, keyed by channel. */
export type ChannelSenders = Readonly<Record<Channel, ChannelSender>>;

/**
 * Builds the six senders from one config object. Pure construction: nothing connects
 * until a sender's `send` is called.
 */
export function createChannelSenders(config: ChannelsConfig = {}): ChannelSenders {
  return Object.freeze({
    EMAIL: new EmailSender(config.email),
    SMS: new SmsSender(config.sms),
    TELEGRAM: new TelegramSender(config.telegram),
    DISCORD: new DiscordSender(config.discord),
    PUSH: new PushSender(config.push),
    IN_APP: new InAppSender(),
  });
}

/** Channels whose provider is configured, in a stable order; IN_APP is always among them. */
export function configuredChannels(senders: ChannelSenders): Channel[] {
  return (Object.keys(senders) as Channel[]).filter((channel) => senders[channel].isConfigured());
}
