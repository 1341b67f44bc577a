/** Markup that is already safe to put in a page (built by {@link html} or {@link raw}). */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Marks trusted, constant markup as safe (never user input). */
export const raw = (markup: string) => new SafeHtml(markup);

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

/**
 * Builds markup in which every interpolated value is escaped unless it is already {@link SafeHtml};
 * arrays are joined, and null, undefined and false leave nothing. User input can therefore only
 * ever end up as text, never as markup.
 */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

function render(v: Part): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}
