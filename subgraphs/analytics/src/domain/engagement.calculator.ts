import { CHANNELS, type Channel } from '@supergraph/kit';
import type { DeliveryFact } from './analytics.types';
import { rateOf } from './statistics.math';

/** Delivery and engagement counts of one channel. */
export interface ChannelEngagement {
  channel: Channel;
  /** Deliveries handed to the channel's provider: delivered + failed (skipped ones excluded). */
  sent: number;
  /** Deliveries the provider accepted (status SENT). */
  delivered: number;
  /** Deliveries the provider refused or errored on (status FAILED). */
  failed: number;
  /** Deliveries never attempted (status SKIPPED). */
  skipped: number;
  /** Delivered notifications the recipient opened. */
  opened: number;
  /** Delivered notifications the recipient acted on. */
  acted: number;
  /** failed / sent; `null` when nothing was sent. */
  failureRate: number | null;
  /** opened / delivered; `null` when nothing was delivered. */
  openRate: number | null;
  /** acted / delivered; `null` when nothing was delivered. */
  actionRate: number | null;
}

/** Engagement per channel plus the sum over channels. */
export interface EngagementStats {
  /** Always all six channels, in the order EMAIL, SMS, TELEGRAM, DISCORD, PUSH, IN_APP. */
  byChannel: ChannelEngagement[];
  total: Omit<ChannelEngagement, 'channel'>;
}

/**
 * Counts deliveries per channel. `opened` and `acted` are counted only on delivered records:
 * an open on a failed or skipped delivery is inconsistent data, and ignoring it keeps every
 * rate within 0–1. Throws a RangeError naming the value when a record has a channel outside
 * the six known ones (the read model must not hold such a record).
 */
export function computeEngagement(deliveries: readonly DeliveryFact[]): EngagementStats {
  const counts = new Map<Channel, Counts>(CHANNELS.map((c) => [c, emptyCounts()]));
  const total = emptyCounts();
  for (const d of deliveries) {
    const row = counts.get(d.channel);
    if (!row)
      throw new RangeError(
        `Unknown notification channel "${String(d.channel)}" in delivery ${d.notificationId ?? ''}`.trim(),
      );
    count(row, d);
    count(total, d);
  }
  return {
    byChannel: CHANNELS.map((channel) => ({ channel, ...withRates(counts.get(channel) as Counts) })),
    total: withRates(total),
  };
}

interface Counts {
  delivered: number;
  failed: number;
  skipped: number;
  opened: number;
  acted: number;
}

function emptyCounts(): Counts {
  return { delivered: 0, failed: 0, skipped: 0, opened: 0, acted: 0 };
}

function count(row: Counts, d: DeliveryFact): void {
  switch (d.status) {
    case 'SENT':
      row.delivered++;
      if (d.opened) row.opened++;
      if (d.acted) row.acted++;
      return;
    case 'FAILED':
      row.failed++;
      return;
    case 'SKIPPED':
      row.skipped++;
      return;
    default: {
      const unknown: never = d.status;
      throw new RangeError(`Unknown delivery status "${String(unknown)}"`);
    }
  }
}

function withRates(c: Counts): Omit<ChannelEngagement, 'channel'> {
  const sent = c.delivered + c.failed;
  return {
    sent,
    ...c,
    failureRate: rateOf(c.failed, sent),
    openRate: rateOf(c.opened, c.delivered),
    actionRate: rateOf(c.acted, c.delivered),
  };
}
