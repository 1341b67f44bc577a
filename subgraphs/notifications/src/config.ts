import { z } from 'zod';
import { flag, loadSubgraphConfig, optionalUrl, parseEnv, type SubgraphConfig } from '@supergraph/kit';
import { DISCORD_WEBHOOK_PREFIXES, type ChannelsConfig } from './channels';
import type { RetryPolicy } from './channels';

/** The notifications subgraph's settings: the shared ones plus channel providers and the delivery worker. */
export interface NotificationsConfig extends SubgraphConfig {
  /** Provider settings; a channel left out is unconfigured and its deliveries are SKIPPED. */
  channels: ChannelsConfig;
  /** Public origin of the web app, for links in messages (cases, plants, password reset). */
  publicOrigin: string;
  /** How hard each delivery is tried (attempts, backoff). */
  retry: Required<Pick<RetryPolicy, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs'>>;
  /** How often the worker looks for due work besides being woken by commits. */
  pollIntervalMs: number;
  /** Deliveries sent at the same time by one process. */
  deliveryConcurrency: number;
}

/** Default port of the notifications subgraph. */
export const NOTIFICATIONS_PORT = 4004;

const optional = () =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined));

/**
 * Reads the notifications subgraph's settings. Each provider is configured by its variables
 * (SMTP_*, TELEGRAM_*, DISCORD_*, TWILIO_*, VAPID_*), each with a configurable base URL or host;
 * a provider with missing required variables fails start-up with a message naming them.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  const base = loadSubgraphConfig('notifications', NOTIFICATIONS_PORT, env);
  const e = parseEnv(
    z.object({
      PUBLIC_ORIGIN: z.string().url().default('http://localhost:4000'),
      SMTP_HOST: optional(),
      SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
      SMTP_SECURE: flag(false),
      SMTP_REQUIRE_TLS: flag(false),
      SMTP_USER: optional(),
      SMTP_PASS: optional(),
      SMTP_FROM: z.string().default('"Supergraph" <no-reply@localhost>'),
      TELEGRAM_BOT_TOKEN: optional(),
      TELEGRAM_API_BASE_URL: optionalUrl(),
      DISCORD_ENABLED: flag(false),
      DISCORD_WEBHOOK_URL: optionalUrl(),
      DISCORD_ALLOWED_WEBHOOK_PREFIXES: optional(),
      DISCORD_USERNAME: optional(),
      TWILIO_ACCOUNT_SID: optional(),
      TWILIO_AUTH_TOKEN: optional(),
      TWILIO_API_KEY_SID: optional(),
      TWILIO_API_KEY_SECRET: optional(),
      TWILIO_FROM: optional(),
      TWILIO_MESSAGING_SERVICE_SID: optional(),
      TWILIO_API_BASE_URL: optionalUrl(),
      VAPID_PUBLIC_KEY: optional(),
      VAPID_PRIVATE_KEY: optional(),
      VAPID_SUBJECT: z.string().default('mailto:ops@localhost'),
      PUSH_ALLOW_INSECURE_ENDPOINTS: flag(false),
      DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
      DELIVERY_BASE_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
      DELIVERY_MAX_DELAY_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
      DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
      NOTIFICATIONS_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
    }),
    env,
    'notifications configuration',
  );
  const problems: string[] = [];
  const channels: ChannelsConfig = {};
  if (e.SMTP_HOST) {
    if (Boolean(e.SMTP_USER) !== Boolean(e.SMTP_PASS)) problems.push('SMTP_USER and SMTP_PASS: set both or neither');
    channels.email = {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      requireTLS: e.SMTP_REQUIRE_TLS,
      user: e.SMTP_USER,
      pass: e.SMTP_PASS,
      from: e.SMTP_FROM,
    };
  }
  if (e.TELEGRAM_BOT_TOKEN) channels.telegram = { botToken: e.TELEGRAM_BOT_TOKEN, baseUrl: e.TELEGRAM_API_BASE_URL };
  if (e.DISCORD_ENABLED || e.DISCORD_WEBHOOK_URL) {
    const extra =
      e.DISCORD_ALLOWED_WEBHOOK_PREFIXES?.split(',')
        .map((p) => p.trim())
        .filter(Boolean) ?? [];
    channels.discord = {
      webhookUrl: e.DISCORD_WEBHOOK_URL,
      allowedWebhookPrefixes: extra.length ? extra : [...DISCORD_WEBHOOK_PREFIXES],
      username: e.DISCORD_USERNAME,
    };
  }
  if (e.TWILIO_ACCOUNT_SID) {
    const hasAuth = Boolean(e.TWILIO_AUTH_TOKEN) || (Boolean(e.TWILIO_API_KEY_SID) && Boolean(e.TWILIO_API_KEY_SECRET));
    if (!hasAuth)
      problems.push(
        'TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET): required with TWILIO_ACCOUNT_SID',
      );
    if (!e.TWILIO_FROM && !e.TWILIO_MESSAGING_SERVICE_SID)
      problems.push('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID: required with TWILIO_ACCOUNT_SID');
    channels.sms = {
      accountSid: e.TWILIO_ACCOUNT_SID,
      authToken: e.TWILIO_AUTH_TOKEN,
      apiKeySid: e.TWILIO_API_KEY_SID,
      apiKeySecret: e.TWILIO_API_KEY_SECRET,
      from: e.TWILIO_FROM,
      messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
      baseUrl: e.TWILIO_API_BASE_URL,
    };
  }
  if (e.VAPID_PUBLIC_KEY || e.VAPID_PRIVATE_KEY) {
    if (!e.VAPID_PUBLIC_KEY || !e.VAPID_PRIVATE_KEY)
      problems.push('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY: set both or neither');
    channels.push = {
      vapidPublicKey: e.VAPID_PUBLIC_KEY ?? '',
      vapidPrivateKey: e.VAPID_PRIVATE_KEY ?? '',
      subject: e.VAPID_SUBJECT,
      allowInsecureEndpoints: e.PUSH_ALLOW_INSECURE_ENDPOINTS,
    };
  }
  if (problems.length)
    throw new Error(`Invalid notifications configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return {
    ...base,
    channels,
    publicOrigin: e.PUBLIC_ORIGIN.replace(/\/+$/, ''),
    retry: {
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      baseDelayMs: e.DELIVERY_BASE_DELAY_MS,
      maxDelayMs: e.DELIVERY_MAX_DELAY_MS,
    },
    pollIntervalMs: e.NOTIFICATIONS_POLL_MS,
    deliveryConcurrency: e.DELIVERY_CONCURRENCY,
  };
}
