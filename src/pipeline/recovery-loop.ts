/**
 * Settles unfinished writes continuously, not only at start-up: a write whose fate was unknown when its
 * request answered, and the writes of a crashed process once its locks have expired. Each pass is
 * `TransitionPipeline.recover`; a dead holder's intents are settled within one lock ttl plus one interval.
 */
import type { Log } from './ports.js';

export interface RecoveryLoopOptions {
  /** One pass; resolves with how many changes it recorded. */
  recover: () => Promise<number>;
  /** Pause between the end of one pass and the start of the next. */
  everyMs: number;
  logger: Log;
}

export class RecoveryLoop {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: RecoveryLoopOptions) {}

  /** The first pass runs at once: a restart settles what the last process left as soon as it can. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Resolves once no pass is running and none will start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass().finally(() => {
        this.running = undefined;
        this.schedule(this.options.everyMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    try {
      const recorded = await this.options.recover();
      if (recorded > 0) this.options.logger.warn({ recorded }, 'recorded changes that were written but not recorded');
    } catch (err) {
      this.options.logger.error({ err }, 'settling unfinished changes failed; trying again');
    }
  }
}
