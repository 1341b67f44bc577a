/** Delivery channels of the notifications subgraph: provider clients, retry runner, registry. */
export * from './channel.types';
export { classifyHttpStatus, parseRetryAfterHeader } from './delivery.error';
export { backoffDelay, deliver, DEFAULT_RETRY_POLICY } from './delivery.runner';
export type { DeliveryPolicy, DeliveryResult, RetryPolicy } from './delivery.runner';
export { configuredChannels, createChannelSenders } from './channel.registry';
export type { ChannelSenders, ChannelsConfig } from './channel.registry';
export { EmailSender, type EmailConfig } from './email.sender';
export { TelegramSender, type TelegramConfig } from './telegram.sender';
export { DiscordSender, DISCORD_WEBHOOK_PREFIXES, type DiscordConfig } from './discord.sender';
export { SmsSender, type SmsConfig } from './sms.sender';
export { PushSender, type PushConfig } from './push.sender';
export { InAppSender } from './in-app.sender';
