import type { Message } from './channel.types';

/** Escapes the five characters that matter in HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Cuts `text` to at most `max` characters (code points, so emoji are never split), ending
 * with "…" when something was cut.
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Only http(s) links are rendered as links; anything else (javascript:, data:) is dropped. */
export function safeLink(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The message as plain text: title, blank line, body, then the link on its own line.
 * Used for the e-mail text part and SMS.
 */
export function plainText(message: Message): string {
  const link = safeLink(message.url);
  return [message.title, '', message.body, ...(link ? ['', link] : [])].join('\n');
}

/**
 * A small self-contained HTML e-mail body: title, body paragraphs, the photo and a link
 * button. Every piece of message text is escaped; images and links must be http(s).
 */
export function emailHtml(message: Message): string {
  const link = safeLink(message.url);
  const photo = safeLink(message.photoUrl);
  const paragraphs = message.body
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 12px">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const accent = message.urgency === 'HIGH' ? '#c62828' : '#2e7d32';
  return [
    '<!doctype html>',
    '<html><body style="font-family:Arial,Helvetica,sans-serif;color:#222;max-width:600px;margin:0 auto;padding:16px">',
    `<h1 style="font-size:20px;color:${accent};margin:0 0 16px">${escapeHtml(message.title)}</h1>`,
    photo ? `<p><img src="${escapeHtml(photo)}" alt="" style="max-width:100%;border-radius:4px"></p>` : '',
    paragraphs,
    link
      ? `<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 16px;background:${accent};color:#fff;text-decoration:none;border-radius:4px">Open</a></p>`
      : '',
    '</body></html>',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * The message in Telegram's HTML parse mode (only <b>, <a> and escaped text), at most `max`
 * characters of visible text. The body is truncated first so the title and link survive.
 */
export function telegramHtml(message: Message, max: number): string {
  const link = safeLink(message.url);
  const linkPart = link ? `\n\n<a href="${escapeHtml(link)}">Open</a>` : '';
  const overhead = message.title.length + (link ? 6 : 0) + 2;
  const body = truncate(message.body, Math.max(20, max - overhead));
  return `<b>${escapeHtml(truncate(message.title, 256))}</b>\n${escapeHtml(body)}${linkPart}`;
}
