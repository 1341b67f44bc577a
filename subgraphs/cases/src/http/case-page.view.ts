import { createHash } from 'node:crypto';
import type { Case } from '../entities/case.entity';
import { CaseStatus, Gender, SightingStatus } from '../entities/case.enums';
import type { Sighting } from '../entities/sighting.entity';
import { html, raw, type SafeHtml } from './html.template';

/** The choices of "when did you see the child", in minutes ago (no clock or time zone needed). */
export const SEEN_AGO: ReadonlyArray<{ minutes: number; label: string }> = [
  { minutes: 0, label: 'Just now' },
  { minutes: 15, label: 'About 15 minutes ago' },
  { minutes: 30, label: 'About 30 minutes ago' },
  { minutes: 60, label: 'About 1 hour ago' },
  { minutes: 120, label: 'About 2 hours ago' },
  { minutes: 240, label: 'About 4 hours ago' },
  { minutes: 480, label: 'About 8 hours ago' },
  { minutes: 720, label: 'About 12 hours ago' },
  { minutes: 1440, label: 'About a day ago' },
  { minutes: 2880, label: 'About 2 days ago' },
  { minutes: 10080, label: 'About a week ago' },
];

/** The sighting form's fields as a browser posts them. */
export type FormField = 'seenAgo' | 'place' | 'description' | 'contact';

/** A rejected form: what was typed (shown again) and what is wrong, by field. */
export interface FormState {
  values: Partial<Record<FormField, string>>;
  errors: Array<{ field: FormField | null; message: string }>;
}

/** Everything the case page shows. */
export interface CasePageModel {
  case: Case;
  /** Absolute public URL of this page (canonical, Open Graph). */
  pageUrl: string;
  /** Absolute public URL of the photo (Open Graph), and its path on this origin (the page itself). */
  photoUrl: string | null;
  photoPath: string | null;
  posterPath: string;
  /** Visible sightings, newest first (DISMISSED ones never reach the page). */
  sightings: Sighting[];
  /** Whom a passer-by should call (never the reporter's phone). */
  publicContact: string;
  form?: FormState;
  /** `received` after a sighting was taken; a message when the form could not be taken. */
  notice?: { kind: 'received' } | { kind: 'refused'; message: string };
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:1.05rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
main{max-width:40rem;margin:0 auto;padding:1rem}h1{font-size:1.7rem;line-height:1.2;margin:.5rem 0}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
.banner{padding:.6rem 1rem;font-weight:700;color:#fff;background:#a4001d}.banner.found{background:#1b5e20}.banner.closed{background:#37474f}
img.photo{display:block;width:100%;max-width:24rem;height:auto;border-radius:.5rem;margin:.5rem 0}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:0}dt{font-weight:700}dd{margin:0}
.call{padding:.75rem 1rem;border-left:.35rem solid #a4001d;background:#fdecee}
.notice{padding:.75rem 1rem;border-left:.35rem solid #1b5e20;background:#e8f5e9}.refused{border-color:#a4001d;background:#fdecee}
label{display:block;font-weight:700;margin-top:1rem}.hint{display:block;font-weight:400;color:#4a4a4a;font-size:.95rem}
input,select,textarea{display:block;width:100%;font:inherit;padding:.6rem;margin-top:.25rem;border:2px solid #4a4a4a;border-radius:.3rem}
textarea{min-height:6rem}[aria-invalid=true]{border-color:#a4001d}.error{color:#a4001d;font-weight:700;margin:.25rem 0 0}
button{margin-top:1.25rem;font:inherit;font-weight:700;padding:.8rem 1.4rem;color:#fff;background:#a4001d;border:0;border-radius:.3rem}
ul.sightings{padding-left:1.2rem}.verified{font-weight:700;color:#1b5e20}a{color:#0645ad}footer{margin-top:2rem;font-size:.95rem;color:#4a4a4a}
`;

/**
 * The Content-Security-Policy of every page: no scripts at all, this stylesheet only (by hash),
 * images and form posts to this origin only, never framed.
 */
export const PAGE_CSP =
  `default-src 'none'; img-src 'self'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; ` +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
const GENDER: Record<Gender, string> = {
  [Gender.FEMALE]: 'Female',
  [Gender.MALE]: 'Male',
  [Gender.OTHER]: 'Other',
  [Gender.UNKNOWN]: 'Not given',
};
const pronoun = (g: Gender) => (g === Gender.FEMALE ? 'her' : g === Gender.MALE ? 'him' : 'them');

function time(d: Date): SafeHtml {
  return html`<time datetime="${d.toISOString()}">${when.format(d)} UTC</time>`;
}

function layout(title: string, head: SafeHtml | null, body: SafeHtml): string {
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${head}<style>${raw(STYLE)}</style></head>
<body>${body}</body></html>`}\n`;
}

/** The public page of a case: who is missing, since when and where, whom to call, and the sighting form. */
export function casePage(m: CasePageModel): string {
  const c = m.case;
  const missing = c.status === CaseStatus.MISSING;
  const found = c.status === CaseStatus.FOUND;
  const title = missing
    ? `Missing: ${c.childName}, ${c.age}`
    : found
      ? `Found: ${c.childName}`
      : `Case closed: ${c.childName}`;
  const summary = missing
    ? `${c.childName} (${c.age}) was last seen ${when.format(c.lastSeenAt)} UTC at ${c.lastSeenPlace}. ` +
      `Have you seen ${pronoun(c.gender)}? Report a sighting.`
    : found
      ? `${c.childName} has been found. Thank you to everyone who helped.`
      : `The case of ${c.childName} is closed.`;
  const card = m.photoUrl ? 'summary_large_image' : 'summary';
  const head = html`<meta name="description" content="${summary}">
<link rel="canonical" href="${m.pageUrl}">
<meta property="og:type" content="website"><meta property="og:site_name" content="Missing children alerts">
<meta property="og:title" content="${title}"><meta property="og:description" content="${summary}">
<meta property="og:url" content="${m.pageUrl}">
${
  m.photoUrl
    ? html`<meta property="og:image" content="${m.photoUrl}">
<meta property="og:image:alt" content="Photo of ${c.childName}">\n`
    : null
}<meta name="twitter:card" content="${card}">
<meta name="twitter:title" content="${title}"><meta name="twitter:description" content="${summary}">
${
  m.photoUrl
    ? html`<meta name="twitter:image" content="${m.photoUrl}">
<meta name="twitter:image:alt" content="Photo of ${c.childName}">\n`
    : null
}`;
  const banner = missing
    ? html`<p class="banner">Missing child</p>`
    : found
      ? html`<p class="banner found">Found: ${c.childName} has been found. Thank you for your help.</p>`
      : html`<p class="banner closed">This case is closed. No sightings are needed any more.</p>`;
  const body = html`<header>${banner}</header>
<main>
<h1>${c.childName}</h1>
${
  m.notice?.kind === 'received'
    ? html`<p class="notice" role="status">Thank you. Your sighting was sent to the family and the moderators.</p>`
    : null
}
${m.notice?.kind === 'refused' ? html`<p class="notice refused" role="alert">${m.notice.message}</p>` : null}
${m.photoPath ? html`<img class="photo" src="${m.photoPath}" alt="Photo of ${c.childName}">` : null}
<dl>
<dt>Age</dt><dd>${c.age}</dd>
<dt>Gender</dt><dd>${GENDER[c.gender]}</dd>
<dt>Last seen</dt><dd>${time(c.lastSeenAt)}</dd>
<dt>Where</dt><dd>${c.lastSeenPlace}</dd>
<dt>Status</dt><dd>${missing ? 'Still missing' : found ? 'Found' : 'Closed'}</dd>
<dt>Reference</dt><dd>${c.reportId}</dd>
</dl>
${c.description ? html`<h2>Description</h2><p>${c.description}</p>` : null}
${
  missing
    ? html`<p class="call">If you see ${c.childName} now, call <strong>${m.publicContact}</strong> at once,
then report the sighting below.</p>`
    : null
}
${missing ? sightingForm(m) : null}
${sightingList(m.sightings)}
<footer><p><a href="${m.posterPath}">Download the poster (PDF)</a> · Reference ${c.reportId}</p></footer>
</main>`;
  return layout(title, head, body);
}

function sightingForm(m: CasePageModel): SafeHtml {
  const v = m.form?.values ?? {};
  const errors = m.form?.errors ?? [];
  const errorOf = (f: FormField) => errors.find((e) => e.field === f);
  const attrs = (f: FormField) => (errorOf(f) ? html` aria-invalid="true" aria-describedby="${f}-error"` : null);
  const message = (f: FormField) => {
    const e = errorOf(f);
    return e ? html`<p class="error" id="${f}-error">${e.message}</p>` : null;
  };
  const summary = errors.length
    ? html`<div role="alert" class="notice refused"><p><strong>The sighting was not sent:</strong></p><ul>${errors.map(
        (e) => html`<li>${e.field ? html`<a href="#${e.field}">${e.message}</a>` : e.message}</li>`,
      )}</ul></div>`
    : null;
  return html`<section aria-labelledby="report-heading">
<h2 id="report-heading">Have you seen ${m.case.childName}?</h2>
${summary}
<form method="post" action="/cases/${m.case.reportId}/sightings" novalidate>
<label for="seenAgo">When did you see ${pronoun(m.case.gender)}?</label>
<select id="seenAgo" name="seenAgo" required${attrs('seenAgo')}>
${SEEN_AGO.map((o) => {
  const selected = String(o.minutes) === (v.seenAgo ?? '0') ? raw(' selected') : null;
  return html`<option value="${o.minutes}"${selected}>${o.label}</option>`;
})}
</select>${message('seenAgo')}
<label for="place">Where? <span class="hint">Street, landmark, town</span></label>
<input id="place" name="place" type="text" required maxlength="300" autocomplete="off" value="${v.place ?? ''}"${attrs('place')}>${message('place')}
<label for="description">What did you see? <span class="hint">Optional: clothing, who was with the child, which way they went</span></label>
<textarea id="description" name="description" maxlength="2000"${attrs('description')}>${v.description ?? ''}</textarea>${message('description')}
<label for="contact">How can we reach you? <span class="hint">Optional phone or email; only the family and the moderators see it</span></label>
<input id="contact" name="contact" type="text" maxlength="200" autocomplete="tel" value="${v.contact ?? ''}"${attrs('contact')}>${message('contact')}
<button type="submit">Send sighting</button>
</form>
</section>`;
}

function sightingList(sightings: Sighting[]): SafeHtml | null {
  if (sightings.length === 0) return null;
  return html`<section aria-labelledby="sightings-heading"><h2 id="sightings-heading">Recent sightings</h2>
<ul class="sightings" id="sightings">${sightings.map((s) => {
    const verified = s.status === SightingStatus.VERIFIED ? html` <span class="verified">(verified)</span>` : null;
    return html`<li data-sighting-id="${s.id}">Seen ${time(s.seenAt)} at ${s.place}${verified}</li>`;
  })}</ul></section>`;
}

/** The page for a reference that names no case (never existed, or deleted). */
export function notFoundPage(publicContact: string): string {
  return layout(
    'Case not found',
    html`<meta name="robots" content="noindex">`,
    html`<main><h1>Case not found</h1><p>There is no case at this address. It may have been removed.</p>
<p>If you have just seen a child who is missing, call <strong>${publicContact}</strong>.</p></main>`,
  );
}

/** A short page for a request that could not be served (bad request, too large, failure). */
export function problemPage(title: string, message: string): string {
  return layout(
    title,
    html`<meta name="robots" content="noindex">`,
    html`<main><h1>${title}</h1><p>${message}</p></main>`,
  );
}
