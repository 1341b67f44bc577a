import { AsyncResource } from 'node:async_hooks';
import type { Logger } from '@supergraph/kit';

/**
 * Runs `work` whenever kicked and at least every `intervalMs`, never two runs at once: a kick
 * during a run schedules exactly one more. `work` returns true when it may have left work
 * behind (a full batch), which runs it again at once.
 */
export class WorkLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /**
   * Runs in the async context the loop was created in (start-up), not in the request whose
   * commit kicked it: its SQL is background work, not the request's (metrics, log scope).
   */
  private readonly detached = AsyncResource.bind((fn: () => void) => fn());

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<boolean>,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Asks for a run as soon as possible. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops scheduling and waits for the run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.detached(() => void this.run()), ms);
    this.timer.unref?.();
  }

  private async run(): Promise<void> {
    if (this.running || this.stopped) return;
    let more = false;
    this.running = (async () => {
      try {
        more = await this.work();
      } catch (err) {
        this.log.error({ err }, `${this.name} round failed`);
      }
    })();
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    const now = more || this.again;
    this.again = false;
    this.schedule(now ? 0 : this.intervalMs);
  }
}
