import { post } from './client';

/** What a client saw of one answer: status, caching header and body as text. */
export interface Answer {
  status: number;
  cacheControl: string | null;
  body: string;
}

/** One client request: its body, bearer token and correlation id when it has them. */
export interface Sent {
  body: unknown;
  token?: string;
  correlationId?: string;
}

/** Sends every request to `url` at once; their answers in the same order. */
export function together(url: string, requests: Sent[]): Promise<Answer[]> {
  return Promise.all(
    requests.map(async ({ body, token, correlationId }) => {
      const headers: Record<string, string> = correlationId ? { 'x-correlation-id': correlationId } : {};
      const res = await post(url, body, { token, headers });
      return { status: res.status, cacheControl: res.headers.get('cache-control'), body: await res.text() };
    }),
  );
}
