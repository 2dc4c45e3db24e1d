import type { Log } from './pipeline/ports.js';

/** Work that outlives the request that started it (after a Slack ack); shutdown waits for all of it. */
export class InFlight {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Log) {}

  run(task: () => Promise<void>): void {
    const promise = task()
      .catch((err) => this.logger.error({ err }, 'background work failed'))
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
