import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REGISTER = join(__dirname, '..', 'register.cjs');
const EXPORTS = 2_000;

/** Loads `file` through register.cjs in a process of its own; resolves with how many exports it saw. */
function exportsSeen(file: string, cache: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', REGISTER, '-e', `console.log(Object.keys(require(${JSON.stringify(file)})).length)`],
      { env: { ...process.env, SUPERGRAPH_REGISTER_CACHE: cache }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`exit ${code}`))));
  });
}

describe('scripts/register.cjs cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'register-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives processes that start together on a cold cache the whole module, never a half-written one', async () => {
    // Large enough that writing its compiled form takes several writes' worth of time.
    const file = join(dir, 'many-exports.ts');
    writeFileSync(
      file,
      Array.from(
        { length: EXPORTS },
        (_, i) => `export const value${i}: string = ${JSON.stringify('x'.repeat(200))};`,
      ).join('\n'),
    );
    for (let round = 0; round < 8; round++) {
      const cache = join(dir, `cache-${round}`);
      const seen = await Promise.all(Array.from({ length: 6 }, () => exportsSeen(file, cache)));
      expect(seen).toEqual(Array(6).fill(EXPORTS));
      const entries = readdirSync(join(cache, 'ts'));
      expect(entries.filter((name) => name.endsWith('.tmp'))).toEqual([]);
      expect(entries).toHaveLength(1);
    }
  }, 60_000);
});
