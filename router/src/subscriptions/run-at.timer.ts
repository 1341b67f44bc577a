/** setTimeout's longest delay (about 24.8 days); a longer one would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Runs `task` once at `atMs` (ms since the epoch; in the next turn of the event loop when past),
 * however far ahead, without keeping the process alive. Returns the function that cancels it.
 */
export function runAt(atMs: number, task: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const delay = atMs - Date.now();
    timer = setTimeout(delay <= 0 ? task : arm, Math.min(Math.max(delay, 0), MAX_DELAY_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
