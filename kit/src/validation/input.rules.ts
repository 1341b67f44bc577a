/**
 * The one rule for text that storage cannot hold, applied to every string a client sends (see
 * `checkOperationInput`): PostgreSQL (and PGlite) refuse a NUL character in text, and an unpaired
 * UTF-16 surrogate has no UTF-8 encoding (the driver would silently replace it). Fields keep their
 * own, smaller maximum lengths; `MAX_INPUT_TEXT_LENGTH` bounds every string, whatever its field.
 */
export const MAX_INPUT_TEXT_LENGTH = 10_000;

/** The most items any list argument may hold (keeps every `IN (...)` far below Postgres' 65,535 parameters). */
export const MAX_INPUT_LIST_LENGTH = 1_000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The maximum length a field's or argument's schema description documents: "at most 254
 * characters", "up to 2000 characters" or a range such as "1–100 characters". The description is
 * the contract clients read, so the input check enforces exactly what it says.
 */
export function documentedMaxLength(description: string | null | undefined): number | undefined {
  const m = description?.match(
    /(?:at most|up to|no more than)\s+([\d,]+)\s+characters|\d+\s*[–-]\s*([\d,]+)\s+characters/i,
  );
  const max = m ? Number((m[1] ?? m[2])!.replace(/,/g, '')) : undefined;
  return max && max < MAX_INPUT_TEXT_LENGTH ? max : undefined;
}

/** Why `value` cannot be stored as text, or undefined when it can. */
export function unstorableText(value: string, max = MAX_INPUT_TEXT_LENGTH): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it contains an unpaired surrogate)';
  if (value.length > max) return `must be at most ${max} characters`;
  return undefined;
}
