import type { AccessTokenVerifier } from './access-token.verifier';
import { jsonRefusal, subgraphProxy } from './subgraph.proxy';

/** Request headers passed on to the media service; everything else (cookies, auth) stays here. */
const FORWARDED = ['content-type', 'content-length', 'accept', 'if-none-match', 'if-modified-since', 'range'];
/** Response headers passed back to the client. */
const RETURNED = [
  'content-type',
  'content-length',
  'cache-control',
  'etag',
  'last-modified',
  'content-disposition',
  'accept-ranges',
  'content-range',
];

/**
 * Forwards `/media/*` (photo uploads and downloads, posters) to the subgraph that owns media, as
 * the public origin (see {@link subgraphProxy}); refusals are JSON in the GraphQL error shape.
 */
export function mediaProxy(opts: {
  targetUrl: string | undefined;
  verifier: AccessTokenVerifier;
  secret: string;
  timeoutMs: number;
}) {
  return subgraphProxy({ ...opts, what: 'media', forwarded: FORWARDED, returned: RETURNED, refuse: jsonRefusal });
}
