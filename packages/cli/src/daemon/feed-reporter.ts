import type { OrderProgress } from '@certkeeper/manager';
import type { EnsureOutcome } from '@certkeeper/policy';
import type { LiveFeed } from '@certkeeper/web';
import type { DeployResult, InterruptionNotice, Reporter } from '../output/reporter.js';

/**
 * The daemon's reporter: everything goes to the terminal's reporter as before, and what the status page shows
 * live — order steps, outcomes, failed deployments — to the page's feed as well.
 */
export class FeedReporter implements Reporter {
  constructor(
    private readonly primary: Reporter,
    private readonly feed: LiveFeed,
  ) {}

  get interleaves(): boolean {
    return this.primary.interleaves === true;
  }

  begin(names: readonly string[]): void {
    this.primary.begin(names);
  }

  progress(progress: OrderProgress): void {
    this.primary.progress(progress);
    this.feed.progress(progress);
  }

  outcome(names: readonly string[], outcome: EnsureOutcome): void {
    this.primary.outcome(names, outcome);
    this.feed.finished(
      names,
      outcome.type === 'failed'
        ? { type: 'failed', error: outcome.error, retryAt: outcome.retryAt }
        : outcome,
    );
  }

  deployed(names: readonly string[], result: DeployResult): void {
    this.primary.deployed(names, result);
  }

  deployFailed(names: readonly string[], error: unknown): void {
    this.primary.deployFailed(names, error);
    this.feed.deployFailed(names, error);
  }

  warn(message: string): void {
    this.primary.warn(message);
  }

  info(message: string): void {
    this.primary.info(message);
  }

  summary(counts: Readonly<Record<string, number>>, exitCode: number): void {
    this.primary.summary(counts, exitCode);
  }

  interrupted(notice: InterruptionNotice): void {
    this.primary.interrupted(notice);
  }

  close(): void {
    this.primary.close();
  }
}
