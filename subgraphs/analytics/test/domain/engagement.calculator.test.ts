import { describe, expect, it } from 'vitest';
import { CHANNELS } from '@supergraph/kit';
import { computeEngagement, type DeliveryFact } from '../../src/domain';
import { NOW } from './case.fixture';

/*
 * By hand:
 *   EMAIL: SENT opened+acted, SENT opened, SENT, FAILED, SKIPPED
 *     → sent 4 (3 delivered + 1 failed), delivered 3, failed 1, skipped 1, opened 2, acted 1
 *   SMS:   SENT acted (not opened: acting on a link in an SMS), FAILED, FAILED
 *     → sent 3, delivered 1, failed 2, opened 0, acted 1
 *   PUSH:  FAILED with opened=true (inconsistent, not counted as opened)
 *     → sent 1, delivered 0, failed 1, opened 0
 *   TELEGRAM, DISCORD, IN_APP: nothing → all zeros, still listed.
 * Total: sent 8, delivered 4, failed 4, skipped 1, opened 2, acted 2.
 */
const d = (
  channel: DeliveryFact['channel'],
  status: DeliveryFact['status'],
  extra: Partial<DeliveryFact> = {},
): DeliveryFact => ({
  channel,
  status,
  at: NOW,
  ...extra,
});

const fixture: DeliveryFact[] = [
  d('EMAIL', 'SENT', { opened: true, acted: true }),
  d('EMAIL', 'SENT', { opened: true }),
  d('EMAIL', 'SENT'),
  d('EMAIL', 'FAILED'),
  d('EMAIL', 'SKIPPED'),
  d('SMS', 'SENT', { acted: true }),
  d('SMS', 'FAILED'),
  d('SMS', 'FAILED'),
  d('PUSH', 'FAILED', { opened: true }),
];

describe('computeEngagement', () => {
  const stats = computeEngagement(fixture);
  const row = (channel: string) => stats.byChannel.find((c) => c.channel === channel)!;

  it('lists all six channels in a fixed order', () => {
    expect(stats.byChannel.map((c) => c.channel)).toEqual(['EMAIL', 'SMS', 'TELEGRAM', 'DISCORD', 'PUSH', 'IN_APP']);
    expect(CHANNELS).toHaveLength(6);
  });

  it('counts sent, delivered, failed, skipped, opened and acted per channel', () => {
    const counts = (c: ReturnType<typeof row>) => [c.sent, c.delivered, c.failed, c.skipped, c.opened, c.acted];
    expect(counts(row('EMAIL'))).toEqual([4, 3, 1, 1, 2, 1]);
    expect(counts(row('SMS'))).toEqual([3, 1, 2, 0, 0, 1]);
    expect(counts(row('PUSH'))).toEqual([1, 0, 1, 0, 0, 0]);
    for (const empty of ['TELEGRAM', 'DISCORD', 'IN_APP']) expect(counts(row(empty))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(stats.total).toMatchObject({ sent: 8, delivered: 4, failed: 4, skipped: 1, opened: 2, acted: 2 });
  });

  it('derives rates, null where the denominator is zero', () => {
    expect(row('EMAIL')).toMatchObject({ failureRate: 0.25, openRate: 2 / 3, actionRate: 1 / 3 });
    expect(row('PUSH')).toMatchObject({ failureRate: 1, openRate: null, actionRate: null });
    expect(row('IN_APP').failureRate).toBeNull();
  });

  it('rejects an unknown channel with its name', () => {
    expect(() => computeEngagement([{ channel: 'FAX' as never, status: 'SENT', at: NOW }])).toThrow(
      /Unknown notification channel "FAX"/,
    );
  });
});
