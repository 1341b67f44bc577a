import { Channel } from '@supergraph/kit';
import { describe, expect, it } from 'vitest';
import type { EventPayloads } from '@supergraph/kit';
import { caseAlertSpecs } from '../../src/alerts/alert.fanout';
import { alertText, statusChangedMessage } from '../../src/alerts/alert.messages';
import { NotificationCategory } from '../../src/entities/enums';

const reported: EventPayloads['case.reported'] = {
  caseId: 'case-1',
  reportId: 'MC-1',
  reporterId: 'reporter',
  childName: 'Léa',
  age: 7,
  gender: 'FEMALE',
  lastSeenAt: '2025-06-15T11:59:30Z',
  lastSeenPlace: '',
  location: { lat: 48.85, lng: 2.35 },
  locationType: null,
  photoUrl: 'https://example.org/p.jpg',
  status: 'MISSING',
};
const ORIGIN = 'https://app.example.org';

describe('the alert fan-out policy', () => {
  it('alerts everyone near on their channels (ADMINs also in the inbox) and every other ADMIN in the inbox only', () => {
    const near = [
      { userId: 'near-user', distanceKm: 1.04 },
      { userId: 'near-admin', distanceKm: 2.26 },
    ];
    const specs = caseAlertSpecs(reported, near, new Set(['near-admin', 'far-admin']), ORIGIN);
    expect(specs.map((s) => [s.recipientId, s.title, s.channels, s.extraChannels, s.data])).toEqual([
      [
        'near-user',
        'Missing child near you: Léa, 7',
        undefined,
        [],
        { caseId: 'case-1', reportId: 'MC-1', distanceKm: 1 },
      ],
      [
        'near-admin',
        'Missing child near you: Léa, 7',
        undefined,
        [Channel.IN_APP],
        { caseId: 'case-1', reportId: 'MC-1', distanceKm: 2.3 },
      ],
      ['far-admin', 'New case MC-1: Léa, 7', [Channel.IN_APP], undefined, { caseId: 'case-1', reportId: 'MC-1' }],
    ]);
    for (const s of specs) {
      expect(s).toMatchObject({
        category: NotificationCategory.ALERT,
        caseId: 'case-1',
        url: `${ORIGIN}/cases/case-1`,
        photoUrl: reported.photoUrl,
        body: 'Léa (7) was last seen 2025-06-15 11:59 UTC at an unknown place. If you see Léa, report a sighting right away.',
      });
    }
  });

  it('notifies nobody but ADMINs when nobody is near, and nobody at all without ADMINs', () => {
    expect(caseAlertSpecs(reported, [], new Set(['admin']), ORIGIN).map((s) => s.recipientId)).toEqual(['admin']);
    expect(caseAlertSpecs(reported, [], new Set(), ORIGIN)).toHaveLength(0);
  });

  it('words the alert row and the status notice', () => {
    expect(alertText(reported)).toBe('Missing: Léa, 7, last seen 2025-06-15 11:59 UTC at an unknown place.');
    const change = {
      caseId: 'case-1',
      reportId: 'MC-1',
      reporterId: 'r',
      from: 'MISSING',
      to: 'FOUND',
      changedBy: 'r',
    };
    expect(statusChangedMessage({ ...change, note: 'Safe at home' }, ORIGIN)).toEqual({
      title: 'Case MC-1 is now FOUND',
      body: 'Case MC-1 changed from MISSING to FOUND. Note: Safe at home',
      url: `${ORIGIN}/cases/case-1`,
    });
    expect(statusChangedMessage({ ...change, note: null }, ORIGIN).body).toBe(
      'Case MC-1 changed from MISSING to FOUND.',
    );
  });
});
