import type { Clock, Logger } from '@certkeeper/core';

export interface RenewalSchedulerOptions {
  /** Check one name (freshness gate, ARI, renewal when due); resolves to when it needs checking again. */
  readonly check: (name: string) => Promise<Date>;
  /** Longest wait between checks of a name, so a window the CA moves (ARI) or a renewal elsewhere is noticed. */
  readonly maxIntervalMs: number;
  /** After a check that threw: when to try that name again. */
  readonly retryMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The background renewal of served names: one timer, armed for the earliest name due, checking due names one at a
 * time (a renewal is a few requests to the CA; doing them in sequence keeps a burst of due names polite). The
 * timer is unref'd: it never keeps a process alive on its own.
 */
export class RenewalScheduler {
  private readonly due = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: RenewalSchedulerOptions) {}

  /** Check `name` at `at` (at the latest `maxIntervalMs` from now). */
  schedule(name: string, at: Date): void {
    const now = this.options.clock.now().getTime();
    this.due.set(name, Math.min(at.getTime(), now + this.options.maxIntervalMs));
    this.arm();
  }

  forget(name: string): void {
    this.due.delete(name);
  }

  /** Check every scheduled name now, whatever its time (an operator's "renew now", tests). */
  async checkAll(): Promise<void> {
    for (const name of this.due.keys()) this.due.set(name, 0);
    await this.running;
    await this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private arm(): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    if (this.due.size === 0) return;
    const next = Math.min(...this.due.values());
    const delay = Math.max(0, next - this.options.clock.now().getTime());
    // setTimeout's limit is 2^31-1 ms; a later time is reached by re-arming.
    this.timer = setTimeout(() => void this.run(), Math.min(delay, 2 ** 31 - 1));
    this.timer.unref();
  }

  private run(): Promise<void> {
    this.running ??= this.checkDue().finally(() => {
      this.running = undefined;
      this.arm();
    });
    return this.running;
  }

  private async checkDue(): Promise<void> {
    const { clock, check, logger, retryMs, maxIntervalMs } = this.options;
    for (const [name, at] of [...this.due]) {
      if (this.stopped) return;
      const now = clock.now().getTime();
      if (at > now || !this.due.has(name)) continue;
      let next: number;
      try {
        next = (await check(name)).getTime();
      } catch (error) {
        logger.warn({ name, error: String(error) }, 'on-demand renewal check failed; trying again later');
        next = clock.now().getTime() + retryMs;
      }
      // Forgotten while it was being checked: stays forgotten. At least a second apart, so a time already past
      // (a deferral ending now) cannot spin the loop.
      const after = clock.now().getTime();
      if (this.due.has(name))
        this.due.set(name, Math.min(Math.max(next, after + 1000), after + maxIntervalMs));
    }
  }
}
