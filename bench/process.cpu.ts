import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/**
 * CPU time (user + system, ms) a process has used so far, read from `/proc/<pid>/stat`; null where
 * there is no procfs. Divided by the requests of a run it is the server's own cost per request, a
 * figure that a busy machine disturbs far less than requests per second.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    ticksPerSecond ??= Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime: fields 14 and 15 of proc(5)
    return (ticks * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}
