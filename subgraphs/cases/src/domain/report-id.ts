import { randomBytes } from 'node:crypto';

/** Shape of a public case reference: MC, the UTC date of the report, 8 upper-case hex characters. */
export const REPORT_ID = /^MC\d{8}[0-9A-F]{8}$/;

/**
 * A new public case reference, e.g. `MC20250314` + `9F3A0C1B`. The random part gives 2^32 values
 * per day; the unique index catches the rare collision and the caller draws again.
 */
export function newReportId(now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `MC${day}${randomBytes(4).toString('hex').toUpperCase()}`;
}
