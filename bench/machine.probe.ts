import { spawn } from 'node:child_process';
import { cpus } from 'node:os';

/** How much CPU work this machine does with all its cores busy, against one process alone. */
export interface ParallelCapacity {
  /** Processes run at once in the second step: the machine's core count. */
  processes: number;
  /** Work units per second of one process with the machine to itself. */
  aloneRate: number;
  /** Work units per second of all processes together, each on a core of its own if the machine has them. */
  togetherRate: number;
  /** togetherRate / aloneRate: `processes` on a machine whose cores do not slow each other. */
  capacity: number;
}

// A fixed CPU-bound unit (a hash and some arithmetic), the same in every process. Each process
// counts the units it finishes in `ms` and prints the count.
const SPIN = `const { createHash } = require('node:crypto');
const block = Buffer.alloc(1024, 7);
const end = Date.now() + Number(process.argv[1]);
let units = 0;
while (Date.now() < end) {
  createHash('sha256').update(block).digest();
  let x = 0;
  for (let i = 0; i < 2000; i++) x += Math.sqrt(i * units);
  if (x < 0) throw new Error('unreachable');
  units++;
}
process.stdout.write(String(units));`;

function spinFor(ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SPIN, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`spin exited ${code}`))));
  });
}

/**
 * Measures the machine's parallel capacity: one CPU-bound process alone, then one per core at
 * once, each for `ms`. On a VM whose virtual cores share physical ones, or on a busy host, the
 * processes slow each other and `capacity` falls below the core count. The bench reads it before
 * and after its load, because every ratio between a gateway's path (several busy processes) and
 * the direct call (one busy subgraph) depends on it. Run it while nothing else is busy.
 */
export async function parallelCapacity(ms = 3_000): Promise<ParallelCapacity> {
  const processes = cpus().length;
  const alone = await spinFor(ms);
  const together = await Promise.all(Array.from({ length: processes }, () => spinFor(ms)));
  const aloneRate = (alone * 1000) / ms;
  const togetherRate = (together.reduce((a, b) => a + b, 0) * 1000) / ms;
  return { processes, aloneRate, togetherRate, capacity: togetherRate / aloneRate };
}
