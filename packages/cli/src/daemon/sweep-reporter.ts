import type { OrderProgress } from '@certkeeper/manager';
import type { EnsureOutcome } from '@certkeeper/policy';
import type { DeployResult, InterruptionNotice, Reporter } from '../output/reporter.js';

/**
 * The daemon's log between sweeps: a certificate's outcome is written only when it differs from the one the last
 * sweep wrote for it (a fresh certificate is logged once, not at every sweep), and each sweep ends with one summary
 * line (`summaryLine`). Failures are always written: each is an attempt that reached the CA or failed locally.
 * Progress, deployments and warnings pass through unchanged.
 */
export class SweepReporter implements Reporter {
  private readonly lastWritten = new Map<string, string>();

  constructor(private readonly primary: Reporter) {}

  get interleaves(): boolean {
    return this.primary.interleaves === true;
  }

  begin(names: readonly string[]): void {
    this.primary.begin(names);
  }

  progress(progress: OrderProgress): void {
    this.primary.progress(progress);
  }

  outcome(names: readonly string[], outcome: EnsureOutcome): void {
    const key = names.join(',');
    const state = stateOf(outcome);
    if (state !== undefined && this.lastWritten.get(key) === state) return;
    this.lastWritten.set(key, state ?? '');
    this.primary.outcome(names, outcome);
  }

  deployed(names: readonly string[], result: DeployResult): void {
    this.primary.deployed(names, result);
  }

  deployFailed(names: readonly string[], error: unknown): void {
    this.primary.deployFailed(names, error);
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

/**
 * What makes an outcome worth a line again: a fresh certificate when its serial changed (its renewal time is drawn
 * anew inside the ARI window at each check: not news), a deferral when its reason changed. Issuances and failures
 * are always news (undefined).
 */
function stateOf(outcome: EnsureOutcome): string | undefined {
  if (outcome.type === 'fresh') return `fresh ${outcome.certificate.serialNumberHex}`;
  if (outcome.type === 'deferred') return `deferred ${outcome.reason}`;
  return undefined;
}

/** `sweep: 3 certificates, 2 fresh, 1 renewed; next sweep at 2026-12-06T14:40:05Z` */
export function summaryLine(outcomes: readonly EnsureOutcome[], nextSweepAt: Date): string {
  const counts = new Map<string, number>();
  for (const { type } of outcomes) counts.set(type, (counts.get(type) ?? 0) + 1);
  const parts = [...counts].map(([type, count]) => `${count} ${type}`);
  const total = `${outcomes.length} certificate${outcomes.length === 1 ? '' : 's'}`;
  const at = nextSweepAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `sweep: ${[total, ...parts].join(', ')}; next sweep at ${at}`;
}
