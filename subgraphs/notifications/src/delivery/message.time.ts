/** An instant as messages show it: `2025-06-15 11:59 UTC` (minutes, always UTC). */
export function utcMinute(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
