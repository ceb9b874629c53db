import type { OrderProgress } from '@certkeeper/manager';
import type { EnsureOutcome } from '@certkeeper/policy';
import { outcomeJson } from './outcome-text.js';
import { type DeployResult, errorText, type InterruptionNotice, type Reporter } from './reporter.js';

/** `--json`: one JSON object per line on stdout, each with an `event` field, for programs to read. */
export class JsonReporter implements Reporter {
  readonly interleaves = true;
  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  begin(names: readonly string[]): void {
    this.write({ event: 'begin', names });
  }
  progress(progress: OrderProgress): void {
    this.write({
      event: 'progress',
      names: progress.identifiers,
      phase: progress.phase,
      next: progress.next,
      ...(progress.detail ? { detail: progress.detail } : {}),
      ...(progress.until ? { until: progress.until.toISOString() } : {}),
      // Phase `lease`: who holds the certificate's lease (until `until`).
      ...(progress.holder ? { holder: progress.holder } : {}),
      ...(progress.takenOver ? { takenOver: progress.takenOver } : {}),
      // A step retried after a 5xx or a timeout: the attempt about to be made, of how many (at `until`).
      ...(progress.retry ? { retry: progress.retry } : {}),
    });
  }
  outcome(names: readonly string[], outcome: EnsureOutcome): void {
    this.write(outcomeJson(names, outcome));
  }
  deployed(names: readonly string[], result: DeployResult): void {
    this.write({ event: 'deployed', names, ...result });
  }
  deployFailed(names: readonly string[], error: unknown): void {
    this.write({
      event: 'deploy-failed',
      names,
      code: (error as { code?: string }).code,
      message: errorText(error),
    });
  }
  warn(message: string): void {
    this.write({ event: 'warning', message });
  }
  info(message: string): void {
    this.write({ event: 'info', message });
  }
  summary(counts: Readonly<Record<string, number>>, exitCode: number): void {
    this.write({ event: 'summary', counts, exitCode });
  }
  interrupted(notice: InterruptionNotice): void {
    this.write({ event: 'interrupted', ...notice });
  }
  close(): void {}

  private write(value: Record<string, unknown>): void {
    this.out.write(`${JSON.stringify({ time: new Date().toISOString(), ...value })}\n`);
  }
}
