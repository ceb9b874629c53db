import { dirname } from 'node:path';
import type { OrderProgress } from '@certkeeper/manager';
import { CertificateProgress } from '@certkeeper/manager/order-steps';
import type { EnsureOutcome } from '@certkeeper/policy';
import { outcomeText } from './outcome-text.js';
import { type DeployResult, errorText, type Reporter } from './reporter.js';

/**
 * Output that is not a terminal (cron mail, a log file, a pipe): one line per change a person would care about —
 * a new step, a new wait reason — and one line per outcome. Nothing is redrawn.
 */
export class PlainReporter implements Reporter {
  private current: CertificateProgress | undefined;
  private lastLine = '';

  constructor(
    private readonly out: NodeJS.WritableStream = process.stdout,
    private readonly err: NodeJS.WritableStream = process.stderr,
  ) {}

  begin(names: readonly string[]): void {
    this.current = new CertificateProgress(names);
  }

  progress(progress: OrderProgress): void {
    const current = this.current ?? new CertificateProgress(progress.identifiers);
    this.current = current;
    const step = current.currentStep;
    if (!current.apply(progress)) return;
    // A line for a new step, or a new reason to wait; not for a wait that ended (the next step says so), and not
    // for "stored" (the outcome line follows at once).
    if (current.currentStep === 'stored' || (current.currentStep === step && !current.detail)) return;
    const detail = current.detail
      ? `: ${current.detail.headline}${current.detail.items.length ? ` (${current.detail.items.join('; ')})` : ''}`
      : '';
    this.line(`${current.names.join(', ')}: ${current.currentStep}${detail}`);
  }

  outcome(names: readonly string[], outcome: EnsureOutcome): void {
    this.line(`${names.join(', ')}: ${outcomeText(outcome)}`);
    this.current = undefined;
  }

  deployed(names: readonly string[], result: DeployResult): void {
    const hook = result.hook ? `; deploy hook ${result.hook.command[0]} ran in ${result.hook.ms} ms` : '';
    const repaired = result.repaired
      ? ' (deployed again: the last deployment was behind the stored certificate or failed)'
      : '';
    this.line(
      `${names.join(', ')}: fullchain.pem and privkey.pem in ${dirname(result.files.fullchain)}/${hook}${repaired}`,
    );
  }

  deployFailed(names: readonly string[], error: unknown): void {
    this.err.write(`${names.join(', ')}: deploy failed: ${errorText(error)}\n`);
  }

  warn(message: string): void {
    this.err.write(`warning: ${message}\n`);
  }

  info(message: string): void {
    this.line(message);
  }

  summary(counts: Readonly<Record<string, number>>, exitCode: number): void {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const parts = Object.entries(counts).map(([type, count]) => `${count} ${type}`);
    this.info(`${total} certificate${total === 1 ? '' : 's'}: ${parts.join(', ')} (exit ${exitCode})`);
  }

  close(): void {}

  private line(text: string): void {
    if (text === this.lastLine) return;
    this.lastLine = text;
    this.out.write(`${text}\n`);
  }
}
