import { createHash, randomBytes } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { IDENTITY_HEADER, UUID, verifyIdentity, type Identity, type Logger, type SubgraphDeps } from '@supergraph/kit';
import type { CaseRules } from '../domain/case.service';
import { Case } from '../entities/case.entity';
import {
  DEFAULT_MAX_PHOTO_BYTES,
  MediaError,
  PhotoStorageError,
  processPhoto,
  renderPoster,
  type PhotoStorage,
} from '../media';

/** What the media routes need besides the subgraph's deps. */
export interface MediaRouteOptions {
  rules: CaseRules;
  photos: PhotoStorage;
  signingSecret: string;
  /** Printed on posters fetched by anyone but the reporter or an ADMIN. */
  publicContact: string;
}

/** Shape of the photo keys this subgraph writes: `<case id>-<16 hex>.jpg`. */
const PHOTO_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{16}\.jpg$/;

/** An error answered as JSON in the GraphQL error shape. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MEDIA_STATUS: Record<MediaError['code'], number> = {
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_IMAGE: 422,
};

/**
 * Mounts the media endpoints the router forwards from the public origin, each checking the router's
 * signed identity as GraphQL does:
 * - `PUT /media/cases/:id/photo` (reporter or ADMIN; raw image body up to 8 MiB) → 200 `{ id, photoUrl, posterUrl }`;
 *   401/403/404/413/415/422 `{ errors: [{ message, extensions: { code } }] }`.
 * - `GET /media/photos/:key` → the JPEG, cacheable forever (a new upload gets a new key).
 * - `GET /media/cases/:id/poster.pdf` → an A4 PDF poster whose QR code opens the case page; the
 *   contact phone is printed for the reporter and ADMINs, the public contact for everyone else.
 */
export function mountMediaRoutes(app: Express, deps: SubgraphDeps, opts: MediaRouteOptions): void {
  const upload = express.raw({ type: () => true, limit: DEFAULT_MAX_PHOTO_BYTES });

  app.put(
    '/media/cases/:id/photo',
    handle(deps.log, opts, async (req, res, identity) => {
      if (!identity.userId) throw new HttpError(401, 'UNAUTHENTICATED', 'Sign in to upload a photo.');
      const contentType = req.header('content-type') ?? '';
      if (!/^image\//i.test(contentType))
        throw new HttpError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'Send the photo as the request body with an image/* Content-Type (JPEG, PNG, WebP or GIF).',
        );
      const em = deps.db.orm.em.fork();
      const c = await findCase(em, req.params.id as string);
      if (c.reporterId !== identity.userId && identity.role !== 'ADMIN')
        throw new HttpError(
          403,
          'FORBIDDEN',
          'Only the person who reported this case or an ADMIN may change its photo.',
        );
      const body = await readBody(upload, req, res);
      const photo = await processPhoto(body, contentType);
      const key = `${c.id}-${randomBytes(8).toString('hex')}.jpg`;
      await opts.photos.put(key, photo.buffer, photo.contentType);
      const previous = await opts.rules.setPhoto(em, c, key, res.locals.correlationId as string);
      if (previous)
        await opts.photos
          .delete(previous)
          .catch((err: unknown) => deps.log.warn({ err, key: previous }, 'could not delete a replaced photo'));
      const urls = opts.rules.urls(c);
      res.json({ id: c.id, photoUrl: urls.photo, posterUrl: urls.poster, width: photo.width, height: photo.height });
    }),
  );

  app.get(
    '/media/photos/:key',
    handle(deps.log, opts, async (req, res) => {
      const key = req.params.key as string;
      const stored = PHOTO_KEY.test(key) ? await opts.photos.get(key) : null;
      if (!stored) throw new HttpError(404, 'NOT_FOUND', 'There is no such photo.');
      const etag = `"${createHash('sha256').update(stored.body).digest('base64url').slice(0, 27)}"`;
      res.set({ 'cache-control': 'public, max-age=31536000, immutable', etag });
      if (req.header('if-none-match') === etag) return void res.status(304).end();
      res.type(stored.contentType).send(stored.body);
    }),
  );

  app.get(
    '/media/cases/:id/poster.pdf',
    handle(deps.log, opts, async (req, res, identity) => {
      const c = await findCase(deps.db.orm.em.fork(), req.params.id as string);
      const privileged = identity.userId === c.reporterId || identity.role === 'ADMIN';
      const photo = c.photoKey ? await opts.photos.get(c.photoKey) : null;
      const pdf = await renderPoster({
        childName: c.childName,
        age: c.age,
        gender: c.gender.charAt(0) + c.gender.slice(1).toLowerCase(),
        lastSeenAt: c.lastSeenAt,
        lastSeenPlace: c.lastSeenPlace,
        description: c.description,
        contactPhone: privileged ? c.contactPhone : opts.publicContact,
        reportId: c.reportId,
        publicUrl: opts.rules.urls(c).page,
        photo: photo?.body ?? null,
      });
      res.set({
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="missing-${c.reportId}.pdf"`,
        // The reporter's copy carries a private phone number: never shared by caches.
        'cache-control': privileged ? 'private, no-store' : 'public, max-age=300',
      });
      res.send(pdf);
    }),
  );
}

type Handler = (req: Request, res: Response, identity: Identity) => Promise<void>;

/** Verifies the router's signature, runs the handler, and answers every failure as JSON. */
function handle(log: Logger, opts: MediaRouteOptions, fn: Handler) {
  return async (req: Request, res: Response) => {
    try {
      const verified = await verifyIdentity(req.header(IDENTITY_HEADER), opts.signingSecret);
      if (!verified)
        throw new HttpError(401, 'UNAUTHENTICATED', 'This service only answers requests forwarded by the router.');
      res.locals.correlationId = verified.correlationId;
      await fn(req, res, verified.identity);
    } catch (err) {
      const e = toHttpError(err);
      if (e.status >= 500) log.error({ err }, 'media request failed');
      if (!res.headersSent)
        res.status(e.status).json({ errors: [{ message: e.message, extensions: { code: e.code } }] });
    }
  };
}

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof MediaError) return new HttpError(MEDIA_STATUS[err.code], err.code, err.message);
  if (err instanceof PhotoStorageError)
    return new HttpError(503, 'SUBGRAPH_UNAVAILABLE', 'Photo storage is unavailable; try again shortly.');
  const body = err as { type?: string; status?: number };
  if (body.type === 'entity.too.large')
    return new HttpError(
      413,
      'PAYLOAD_TOO_LARGE',
      `The photo is larger than the limit of ${DEFAULT_MAX_PHOTO_BYTES / 1024 / 1024} MiB.`,
    );
  if (body.status && body.status < 500) return new HttpError(400, 'BAD_REQUEST', 'The upload could not be read.');
  return new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error. It has been logged.');
}

async function findCase(em: ReturnType<SubgraphDeps['db']['orm']['em']['fork']>, id: string): Promise<Case> {
  const c = UUID.test(id) ? await em.findOne(Case, { id: id.toLowerCase() }) : null;
  if (!c) throw new HttpError(404, 'NOT_FOUND', `Case ${id} was not found.`);
  return c;
}

/** Reads the raw body through `parser` (which enforces the size limit). */
function readBody(parser: ReturnType<typeof express.raw>, req: Request, res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const next: NextFunction = (err?: unknown) =>
      err ? reject(err) : resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    parser(req, res, next);
  });
}
