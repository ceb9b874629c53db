import { dirname } from 'node:path';
import type { OrderProgress } from '@certkeeper/manager';
import { CertificateProgress } from '@certkeeper/manager/order-steps';
import type { EnsureOutcome } from '@certkeeper/policy';
import { leaseText } from './lease-text.js';
import { outcomeText } from './outcome-text.js';
import { type DeployResult, errorText, type InterruptionNotice, type Reporter } from './reporter.js';

/**
 * Output that is not a terminal (cron mail, a log file, a pipe): one line per change a person would care about —
 * a new step, a new wait reason — and one line per outcome, each starting with its certificate's names: several
 * certificates in flight at once interleave their lines. Nothing is redrawn.
 */
export class PlainReporter implements Reporter {
  readonly interleaves = true;
  /** Each certificate under way, by its names (sorted): progress events of several orders interleave. */
  private readonly underWay = new Map<string, CertificateProgress>();
  private lastLine = '';
  /** The lease holder last reported per certificate: its lease is renewed every few seconds, and a new end is not news. */
  private readonly leaseHolders = new Map<string, string>();

  constructor(
    private readonly out: NodeJS.WritableStream = process.stdout,
    private readonly err: NodeJS.WritableStream = process.stderr,
    /** Start each line with the UTC time (the daemon's log: a one-off run's lines need none). */
    private readonly options: { readonly timestamps?: boolean; readonly now?: () => Date } = {},
  ) {}

  begin(names: readonly string[]): void {
    this.underWay.set(keyOf(names), new CertificateProgress(names));
    this.leaseHolders.delete(keyOf(names));
  }

  progress(progress: OrderProgress): void {
    const key = keyOf(progress.identifiers);
    const lease = leaseText(progress);
    if (lease !== undefined) {
      if (progress.takenOver || progress.holder !== this.leaseHolders.get(key)) this.line(lease);
      if (progress.takenOver || !progress.holder) this.leaseHolders.delete(key);
      else this.leaseHolders.set(key, progress.holder);
      return;
    }
    const current = this.underWay.get(key) ?? new CertificateProgress(progress.identifiers);
    this.underWay.set(key, current);
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
    this.underWay.delete(keyOf(names));
    this.leaseHolders.delete(keyOf(names));
  }

  deployed(names: readonly string[], result: DeployResult): void {
    const hook = result.hook ? `; deploy hook ${result.hook.command[0]} ran in ${result.hook.ms} ms` : '';
    const repaired = result.repaired
      ? ' (deployed again: the last deployment was behind the stored certificate or failed)'
      : '';
    this.line(
      `${names.join(', ')}: fullchain.pem${result.files.privkey ? ' and privkey.pem' : ' (the key is your own: no privkey.pem)'} in ${dirname(result.files.fullchain)}/${hook}${repaired}`,
    );
  }

  deployFailed(names: readonly string[], error: unknown): void {
    this.err.write(`${this.stamp()}${names.join(', ')}: deploy failed: ${errorText(error)}\n`);
  }

  warn(message: string): void {
    this.err.write(`${this.stamp()}warning: ${message}\n`);
  }

  info(message: string): void {
    this.line(message);
  }

  summary(counts: Readonly<Record<string, number>>, exitCode: number): void {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const parts = Object.entries(counts).map(([type, count]) => `${count} ${type}`);
    this.info(`${total} certificate${total === 1 ? '' : 's'}: ${parts.join(', ')} (exit ${exitCode})`);
  }

  interrupted(notice: InterruptionNotice): void {
    this.err.write(`${notice.message}\n`);
  }

  close(): void {}

  private line(text: string): void {
    if (text === this.lastLine) return;
    this.lastLine = text;
    this.out.write(`${this.stamp()}${text}\n`);
  }

  /** `2026-12-06T13:40:05Z ` when timestamps are on: second precision, the zone always Z. */
  private stamp(): string {
    if (!this.options.timestamps) return '';
    return `${(this.options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z')} `;
  }
}

/** A certificate's key among those under way: its names in any order and case (progress names the identifiers). */
function keyOf(names: readonly string[]): string {
  return names
    .map((name) => name.toLowerCase())
    .sort()
    .join(',');
}
