import type { Channel } from '@supergraph/kit';
import { DeliveryError } from './delivery.error';

/** Default time a provider gets to answer one HTTP request. */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 10_000;

/** One HTTP request to a provider API. */
export interface ProviderRequest {
  channel: Channel;
  /**
   * What is being called, for error messages, e.g. "Telegram sendMessage". URLs are never
   * quoted in errors because some carry secrets (the Telegram bot token, webhook tokens).
   */
  target: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs?: number;
}

/** A provider's answer, whatever its status. `json` is undefined when the body is not JSON. */
export interface ProviderResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/**
 * POSTs to a provider and returns its answer for any HTTP status, so each sender can read
 * the provider's own error format. Only transport failures throw: a refused connection,
 * DNS failure, reset or timeout becomes a retryable `DeliveryError`.
 */
export async function postToProvider(request: ProviderRequest): Promise<ProviderResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body:
        typeof request.body === 'string' || request.body === undefined ? request.body : new Uint8Array(request.body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    text = await response.text();
  } catch (error) {
    throw new DeliveryError(`${request.target} unreachable: ${describeTransportError(error, timeoutMs)}`, {
      channel: request.channel,
      retryable: true,
      cause: error,
    });
  }
  return { status: response.status, headers: response.headers, text, json: parseJson(text) };
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Turns fetch's generic "fetch failed" into the underlying reason (ECONNREFUSED, timeout…). */
function describeTransportError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as Error & { code?: string }).code;
      return code ? `${code} (${cause.message})` : cause.message;
    }
    return error.message;
  }
  return String(error);
}

/** Shortens a provider's error text to something fit for a log line. */
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Narrows unknown JSON to a plain object (or undefined). */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Joins a configurable base URL and a path without doubling or dropping the slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
