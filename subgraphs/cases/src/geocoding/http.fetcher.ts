import { GeocodingProviderError } from './geocoding.errors';
import type { GeocodingProviderName } from './geocoding.types';

/** Options of one JSON GET request made on behalf of a provider. */
export interface JsonRequest {
  /** Extra request headers (e.g. User-Agent). */
  headers?: Record<string, string>;
  /** Abort the request (including reading the body) after this many milliseconds. */
  timeoutMs: number;
}

/** The URL without its query string, so API keys never end up in error messages or logs. */
function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * GETs `url` with Node's global fetch and returns the parsed JSON body.
 * Rejects with a `GeocodingProviderError` for `provider` on timeout, network failure,
 * a non-2xx status (the message includes the status and the start of the body) or invalid JSON.
 */
export async function fetchJson(provider: GeocodingProviderName, url: URL, request: JsonRequest): Promise<unknown> {
  const target = describeUrl(url);
  let body: string;
  let status: number;
  let statusText: string;
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json', ...request.headers },
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    status = response.status;
    statusText = response.statusText;
    body = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new GeocodingProviderError(provider, `request to ${target} timed out after ${request.timeoutMs} ms`, {
        cause: error,
      });
    }
    const reason =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new GeocodingProviderError(provider, `request to ${target} failed: ${reason}`, { cause: error });
  }
  if (status < 200 || status >= 300) {
    const hint = status === 429 ? ' (rate limited)' : '';
    const excerpt = body.trim().slice(0, 200);
    throw new GeocodingProviderError(
      provider,
      `${target} answered HTTP ${status} ${statusText}${hint}${excerpt ? `: ${excerpt}` : ''}`,
    );
  }
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new GeocodingProviderError(provider, `${target} answered with invalid JSON`, { cause: error });
  }
}

/** A finite number parsed from a JSON number or numeric string, else `undefined`. */
export function toCoordinate(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}
