import { Agent, type Dispatcher } from 'undici';

/** What the gateway's data source reads of a subgraph's answer (the subset of a Fetch `Response` it uses). */
export interface SubgraphResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** One POST to a subgraph. */
export interface SubgraphRequest {
  method: string;
  headers: Iterable<[string, string]> | Record<string, string>;
  body: string;
}

/** Sends one request to a subgraph; rejects on network errors and after the timeout. */
export type SubgraphClient = (url: string, init: SubgraphRequest) => Promise<SubgraphResponse>;

/**
 * An HTTP client for router→subgraph fetches on undici's dispatcher with keep-alive connections
 * (at most `maxSockets` per subgraph). The global `fetch` spent about a fifth of the router's CPU
 * on WHATWG streams, abort signals and header objects per fetch; node:http's client still cost
 * about twice undici's per request (bench/optimisations.md, entries 8 and 18). Every request ends
 * within `timeoutMs`, answered or failed with a message that says it timed out.
 */
export function createSubgraphClient(opts: { timeoutMs: number; maxSockets?: number }): SubgraphClient {
  // Idle and header timeouts off: the one timer below bounds the whole exchange.
  const agent = new Agent({ connections: opts.maxSockets ?? 128, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
  // Parsed once per subgraph URL: undici would parse the string again on every request.
  const targets = new Map<string, { origin: string; path: string; authorization?: string }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (!target) {
      const u = new URL(url);
      target = { origin: u.origin, path: `${u.pathname}${u.search}` };
      if (u.username) {
        const credentials = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
        target.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      }
      if (targets.size < 1_000) targets.set(url, target);
    }
    return target;
  };
  return (url, init) =>
    new Promise<SubgraphResponse>((resolve, reject) => {
      const { origin, path, authorization } = targetOf(url);
      let headers =
        Array.isArray(init.headers) || Symbol.iterator in init.headers
          ? Object.fromEntries(init.headers as Iterable<[string, string]>)
          : (init.headers as Record<string, string>);
      // A copy only where one is added: the caller's object is not ours to change.
      if (authorization && !headers.authorization) headers = { ...headers, authorization };
      let abort: ((reason: Error) => void) | undefined;
      let failed: Error | undefined;
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      // One timer for the whole exchange, not an idle timeout: a subgraph that trickles still ends on time.
      const timer = setTimeout(() => {
        failed = new Error(`The request timed out after ${opts.timeoutMs} ms.`);
        if (abort) abort(failed);
        else fail(failed); // still queued for a connection: aborted when it gets one
      }, opts.timeoutMs);
      let status = 0;
      let statusText = '';
      let rawHeaders: Buffer[] = [];
      const chunks: Buffer[] = [];
      agent.dispatch(
        { origin, path, method: init.method as Dispatcher.HttpMethod, headers, body: init.body },
        {
          onConnect: (abortRequest) => {
            if (failed) return abortRequest(failed);
            abort = abortRequest;
          },
          onHeaders: (statusCode, raw, _resume, message) => {
            status = statusCode;
            statusText = message;
            rawHeaders = raw;
            return true;
          },
          onData: (chunk) => {
            chunks.push(chunk);
            return true;
          },
          onComplete: () => {
            clearTimeout(timer);
            const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
            resolve(answer(url, status, statusText, rawHeaders, text));
          },
          onError: fail, // after a queued request timed out, a second rejection changes nothing
        },
      );
    });
}

/** Response headers as undici hands them over (name, value, name, value, ...), read on demand. */
function headerReader(raw: Buffer[]) {
  let byName: Map<string, string> | undefined;
  return {
    get(name: string): string | null {
      if (!byName) {
        byName = new Map();
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const key = raw[i]!.toString('latin1').toLowerCase();
          const value = raw[i + 1]!.toString('latin1');
          const seen = byName.get(key);
          byName.set(key, seen === undefined ? value : `${seen}, ${value}`);
        }
      }
      return byName.get(name.toLowerCase()) ?? null;
    },
  };
}

function answer(url: string, status: number, statusText: string, raw: Buffer[], text: string) {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText,
    url,
    headers: headerReader(raw),
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
  };
}
