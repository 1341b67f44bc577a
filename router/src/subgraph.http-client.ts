import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

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
 * An HTTP client for router→subgraph fetches on node:http with keep-alive connections (at most
 * `maxSockets` per subgraph): the global `fetch` spent about a fifth of the router's CPU on WHATWG
 * streams, abort signals and header objects per fetch (bench/optimisations.md). Every request ends
 * within `timeoutMs`, answered or failed with a message that says it timed out.
 */
export function createSubgraphClient(opts: { timeoutMs: number; maxSockets?: number }): SubgraphClient {
  const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 128, scheduling: 'lifo' as const };
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent(agentOptions);
  // Parsed once per subgraph URL: Node would parse the string again on every request.
  const targets = new Map<string, { hostname: string; port: string; path: string; auth?: string }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (!target) {
      const u = new URL(url);
      target = { hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, path: `${u.pathname}${u.search}` };
      if (u.username) target.auth = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
      if (targets.size < 1_000) targets.set(url, target);
    }
    return target;
  };
  return (url, init) =>
    new Promise<SubgraphResponse>((resolve, reject) => {
      const secure = url.startsWith('https:');
      const headers =
        Array.isArray(init.headers) || Symbol.iterator in init.headers
          ? Object.fromEntries(init.headers as Iterable<[string, string]>)
          : (init.headers as Record<string, string>);
      headers['content-length'] = String(Buffer.byteLength(init.body));
      const req = (secure ? httpsRequest : httpRequest)({
        ...targetOf(url),
        method: init.method,
        headers,
        agent: secure ? https : http,
      });
      // One timer for the whole exchange, not an idle timeout: a subgraph that trickles still ends on time.
      const timer = setTimeout(
        () => req.destroy(new Error(`The request timed out after ${opts.timeoutMs} ms.`)),
        opts.timeoutMs,
      );
      req.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        res.once('end', () => {
          clearTimeout(timer);
          const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
          resolve(answer(url, res.statusCode ?? 0, res.statusMessage ?? '', res.headers, text));
        });
      });
      req.end(init.body);
    });
}

function answer(url: string, status: number, statusText: string, headers: IncomingHttpHeaders, text: string) {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText,
    url,
    headers: {
      get(name: string) {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
  };
}
