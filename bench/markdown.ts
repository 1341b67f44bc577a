/** Formatting of the bench report's Markdown. */

/** A number in the report's format. */
export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** a / b, or undefined when either is missing. */
export const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? a / b : undefined);
/** A ratio as the report writes it (`1.23×`, or `–`). */
export const fmtRatio = (r: number | undefined) => (r === undefined ? '–' : `${fmt(r, 2)}×`);
/** One Markdown table row. */
export const row = (...cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
/** A Markdown table's rule under its header of `columns` cells. */
export const rule = (columns: number) => row(...Array.from({ length: columns }, () => '---'));
