import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '..', '..');

/** A peer gateway running in a child process of the bench. */
export interface PeerProcess {
  name: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Where the peer answered the start-up check: its GraphQL endpoint. */
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Writes the supergraph with every `join__graph` URL pointed at the running subgraph of that name,
 * so a peer reads the same composition our router runs, against the same services. Returns the path.
 */
export function supergraphFor(sdl: string, urls: Record<string, string>): string {
  const rewritten = sdl.replace(/join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name: string) =>
    urls[name] ? `join__graph(name: "${name}", url: "${urls[name]}")` : whole,
  );
  for (const name of Object.keys(urls)) {
    if (!rewritten.includes(`url: "${urls[name]}"`)) throw new Error(`the supergraph has no join__graph for ${name}`);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'bench-supergraph-')), 'supergraph.graphql');
  writeFileSync(file, rewritten);
  return file;
}

/** Where and how {@link startPeer} checks that a peer answers. */
export interface PeerCheck {
  /** The GraphQL endpoint's path; `/graphql` by default. */
  path?: string;
  /** Headers the check's request needs (a subgraph behind a forwarder wants a signed identity). */
  headers?: Record<string, string>;
}

/**
 * Starts `entry` (a TypeScript file under bench/peers/) in its own Node process, waits for it to
 * report the port it bound (IPC message `{ port }`), and checks that the process answers a GraphQL
 * query at `check.path` before resolving. `stop()` ends it with SIGTERM (SIGKILL after 5 s).
 */
export async function startPeer(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  check: PeerCheck = {},
): Promise<PeerProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '-r', join(ROOT, 'scripts', 'register.cjs'), join(__dirname, entry)],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => line && process.stdout.write(`[${name}] ${line}\n`));
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} reported no port within 60 s`)), 60_000);
      child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before it listened`)));
      child.on('message', (message: { port?: unknown }) => {
        if (typeof message?.port !== 'number') return;
        clearTimeout(timer);
        resolve(message.port);
      });
    });
    const origin = `http://127.0.0.1:${port}`;
    const url = `${origin}${check.path ?? '/graphql'}`;
    await expectAnswer(name, url, check.headers ?? {});
    return { name, origin, url, child, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Fails unless `url` answers `{ __typename }` with data: the process we started is the one there. */
async function expectAnswer(name: string, url: string, headers: Record<string, string>): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{"query":"{ __typename }"}',
  });
  const json = (await res.json().catch(() => ({}))) as { data?: { __typename?: string } };
  if (json.data?.__typename !== 'Query')
    throw new Error(`${name} at ${url} did not answer a query (HTTP ${res.status})`);
}
