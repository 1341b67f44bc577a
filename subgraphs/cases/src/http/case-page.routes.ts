import { createHash } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import {
  AppError,
  BadUserInputError,
  IDENTITY_HEADER,
  UUID,
  verifyIdentity,
  requestContext,
  type RequestContext,
  type SubgraphDeps,
} from '@supergraph/kit';
import type { CaseRules } from '../domain/case.service';
import { REPORT_ID } from '../domain/report-id';
import { reportSighting } from '../domain/sighting.service';
import { Case } from '../entities/case.entity';
import { CaseStatus } from '../entities/case.enums';
import type { Geocoder } from '../geocoding';
import { createLoaders } from '../loaders/case.loader';
import {
  PAGE_CSP,
  SEEN_AGO,
  casePage,
  notFoundPage,
  problemPage,
  type CasePageModel,
  type FormField,
  type FormState,
} from './case-page.view';

/** What the case page needs besides the subgraph's deps. */
export interface CasePageOptions {
  rules: CaseRules;
  geocoder: Geocoder;
  signingSecret: string;
  /** Whom a passer-by should call; the page never shows the reporter's phone. */
  publicContact: string;
}

/** Sightings listed on the page (newest first, DISMISSED ones never). */
const LISTED_SIGHTINGS = 10;
/** Largest sighting form accepted (the fields' limits add up to well under this). */
const FORM_LIMIT = '16kb';
/** Which API field (in BAD_USER_INPUT) is which form field, and how the page names it. */
const FIELDS: Record<string, { field: FormField; noun: string }> = {
  'input.seenAt': { field: 'seenAgo', noun: 'The time you saw the child' },
  'input.place': { field: 'place', noun: 'The place' },
  'input.description': { field: 'description', noun: 'What you saw' },
  'input.contact': { field: 'contact', noun: 'Your contact' },
  seenAgo: { field: 'seenAgo', noun: 'The time you saw the child' },
};

type Ctx = RequestContext<ReturnType<typeof createLoaders>>;

/**
 * Mounts the public case page the router forwards from `/cases/*` (poster QR codes and alert links
 * point here), server-rendered HTML that needs no JavaScript:
 * - `GET /cases/:ref` → 200 the page of the case with that report id (a case id or a loosely typed
 *   reference redirects 301 to the canonical address); 404 page for an unknown or deleted case.
 * - `POST /cases/:ref/sightings` (an HTML form) → the `reportSighting` rules with the same validation;
 *   303 back to the page on success, 400 the page with the errors by field, 409 when the case is no
 *   longer MISSING, 413/415 for a body that is no such form.
 * Each request must carry the router's signed identity; the reporter's personal data is never shown.
 */
export function mountCasePageRoutes(app: Express, deps: SubgraphDeps, opts: CasePageOptions): void {
  const form = express.urlencoded({ extended: false, limit: FORM_LIMIT, type: () => true });

  app.get(
    '/cases/:ref',
    page(deps, opts, async (req, res, ctx) => {
      const c = await findCase(ctx, req.params.ref as string, res);
      if (!c) return;
      const sent = req.query.sighting === 'received';
      const html = await render(ctx, opts, c, sent ? { notice: { kind: 'received' } } : {});
      const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
      // Revalidated every time: a status change or a new sighting shows at once, unchanged pages cost a 304.
      res.set({ 'cache-control': sent ? 'private, no-store' : 'public, max-age=0, must-revalidate', etag });
      if (req.header('if-none-match') === etag) return void res.status(304).end();
      res.status(200).send(html);
    }),
  );

  app.post(
    '/cases/:ref/sightings',
    page(deps, opts, async (req, res, ctx) => {
      const c = await findCase(ctx, req.params.ref as string, res);
      if (!c) return;
      if (c.status !== CaseStatus.MISSING) {
        const message = `${c.childName} is no longer missing (the case is ${c.status}); no sightings are taken.`;
        return void res.status(409).send(await render(ctx, opts, c, { notice: { kind: 'refused', message } }));
      }
      if (!req.is('application/x-www-form-urlencoded')) {
        const page = problemPage('Not a sighting form', 'Send the sighting with the form on the case page.');
        return void res.status(415).send(page);
      }
      await readForm(form, req, res);
      const values = formValues(req.body);
      try {
        const seenAt = new Date(Date.now() - seenAgoMinutes(values.seenAgo) * 60_000);
        await reportSighting(
          ctx,
          { geocoder: opts.geocoder, emit: deps.emit },
          {
            caseId: c.id,
            seenAt,
            place: values.place ?? '',
            description: values.description ?? null,
            contact: values.contact ?? null,
          },
        );
        res.redirect(303, `/cases/${encodeURIComponent(c.reportId)}?sighting=received#sightings`);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const code = err.extensions.code;
        if (code === 'BAD_USER_INPUT') {
          const state: FormState = { values, errors: [formError(err)] };
          return void res.status(400).send(await render(ctx, opts, c, { form: state }));
        }
        if (code === 'CONFLICT') {
          return void res
            .status(409)
            .send(await render(ctx, opts, c, { notice: { kind: 'refused', message: err.message } }));
        }
        throw err;
      }
    }),
  );

  app.all(
    ['/cases', '/cases/*rest'],
    page(deps, opts, async (_req, res) => {
      res.status(404).send(notFoundPage(opts.publicContact));
    }),
  );
}

async function render(ctx: Ctx, opts: CasePageOptions, c: Case, extra: Pick<CasePageModel, 'form' | 'notice'>) {
  const urls = opts.rules.urls(c);
  const sightings = await ctx.loaders.sightingsByCase(LISTED_SIGHTINGS, false).load(c.id);
  return casePage({
    case: c,
    pageUrl: urls.page,
    photoUrl: urls.photo,
    photoPath: urls.photo ? new URL(urls.photo).pathname : null,
    posterPath: new URL(urls.poster).pathname,
    sightings,
    publicContact: opts.publicContact,
    ...extra,
  });
}

/** The case a reference names: a report id (canonical), or a case id or sloppy reference (redirected). */
async function findCase(ctx: Ctx, ref: string, res: Response): Promise<Case | null> {
  const normal = ref.replace(/\s+/g, '').toUpperCase();
  const byId = UUID.test(ref);
  const c = byId
    ? await ctx.em.findOne(Case, { id: ref.toLowerCase() })
    : REPORT_ID.test(normal)
      ? await ctx.em.findOne(Case, { reportId: normal })
      : null;
  if (!c) {
    res.status(404).send(notFoundPage(res.locals.publicContact as string));
    return null;
  }
  if (c.reportId !== ref && res.req.method === 'GET') {
    res.redirect(301, `/cases/${encodeURIComponent(c.reportId)}`);
    return null;
  }
  return c;
}

function formValues(body: unknown): FormState['values'] {
  const values: FormState['values'] = {};
  const b = (body ?? {}) as Record<string, unknown>;
  for (const f of ['seenAgo', 'place', 'description', 'contact'] as const) {
    // A repeated field arrives as an array: only a single text counts.
    if (typeof b[f] === 'string') values[f] = b[f] as string;
  }
  return values;
}

function seenAgoMinutes(value: string | undefined): number {
  const choice = SEEN_AGO.find((o) => String(o.minutes) === value);
  if (!choice) throw new BadUserInputError('seenAgo must be one of the choices of the form.', 'seenAgo');
  return choice.minutes;
}

function formError(err: AppError): FormState['errors'][number] {
  const field = typeof err.extensions.field === 'string' ? err.extensions.field : '';
  const known = FIELDS[field];
  if (!known) return { field: null, message: err.message };
  const message = err.message.startsWith(field) ? `${known.noun}${err.message.slice(field.length)}` : err.message;
  return { field: known.field, message };
}

type PageHandler = (req: Request, res: Response, ctx: Ctx) => Promise<void>;

/** Verifies the router's signature, gives the handler a request context, and answers failures as pages. */
function page(deps: SubgraphDeps, opts: CasePageOptions, fn: PageHandler) {
  return async (req: Request, res: Response) => {
    res.set({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
    res.locals.publicContact = opts.publicContact;
    try {
      const verified = await verifyIdentity(req.header(IDENTITY_HEADER), opts.signingSecret);
      if (!verified) {
        return void res
          .status(401)
          .send(problemPage('Not available here', 'This service only answers requests forwarded by the router.'));
      }
      const { identity, correlationId } = verified;
      // As for a GraphQL request: its SQL counts as `request`, its log lines carry the correlation id.
      await fn(req, res, requestContext({ db: deps.db, identity, correlationId, log: deps.log, createLoaders }));
    } catch (err) {
      const body = err as { type?: string; status?: number };
      if (res.headersSent) return;
      if (body.type === 'entity.too.large') {
        return void res
          .status(413)
          .send(problemPage('Too long', 'The sighting is too long. Shorten the description and try again.'));
      }
      if (body.status && body.status < 500) {
        return void res
          .status(400)
          .send(problemPage('Bad request', 'The form could not be read. Go back and try again.'));
      }
      deps.log.error({ err }, 'case page request failed');
      res
        .status(500)
        .send(
          problemPage('Something went wrong', 'The page could not be shown. It has been logged; try again shortly.'),
        );
    }
  };
}

/** Reads the form body through `parser` (which enforces the size limit). */
function readForm(parser: ReturnType<typeof express.urlencoded>, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    const next: NextFunction = (err?: unknown) => (err ? reject(err) : resolve());
    parser(req, res, next);
  });
}
