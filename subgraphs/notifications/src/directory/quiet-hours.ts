/** Quiet hours: local wall-clock times "HH:MM" in an IANA time zone. */
export interface QuietHours {
  start: string;
  end: string;
  timezone: string;
}

/** "HH:MM" (24-hour) → minutes after midnight, or null when malformed. */
export function parseClock(value: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** True when `timezone` is an IANA zone this runtime's Intl knows. */
export function isValidTimeZone(timezone: string): boolean {
  if (!timezone || timezone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Local time of day in `timezone` at `at`, in seconds after midnight. */
function localSeconds(at: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 3600 + get('minute') * 60 + get('second');
}

/**
 * When quiet hours that contain `now` end, or null when `now` is outside them (or the setting
 * is incomplete). A window may wrap midnight (22:00–07:00); start == end means no quiet hours.
 * The end is found by adding the local time left until `end`, which is exact except across a
 * DST change inside the window (then off by that change, at most an hour).
 */
export function quietHoursEnd(quiet: Partial<QuietHours> | null | undefined, now: Date = new Date()): Date | null {
  if (!quiet?.start || !quiet.end || !quiet.timezone || !isValidTimeZone(quiet.timezone)) return null;
  const start = parseClock(quiet.start);
  const end = parseClock(quiet.end);
  if (start === null || end === null || start === end) return null;
  const nowS = localSeconds(now, quiet.timezone);
  const startS = start * 60;
  const endS = end * 60;
  const inside = startS < endS ? nowS >= startS && nowS < endS : nowS >= startS || nowS < endS;
  if (!inside) return null;
  const wait = (endS - nowS + 86_400) % 86_400;
  return new Date(now.getTime() + wait * 1000);
}
