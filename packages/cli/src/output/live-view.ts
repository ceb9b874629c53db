import type { OrderProgress } from '@certkeeper/manager';
import { CertificateProgress, type StepState } from '@certkeeper/manager/order-steps';
import type { EnsureOutcome } from '@certkeeper/policy';
import { leaseText } from './lease-text.js';
import { outcomeSymbol, outcomeText } from './outcome-text.js';
import { type DeployResult, errorText, type InterruptionNotice, type Reporter } from './reporter.js';
import { TerminalFrame } from './terminal-frame.js';

const SYMBOL: Readonly<Record<StepState, string>> = { done: '✓', running: '›', failed: '✗', pending: '·' };

/**
 * On a terminal: a block per certificate, redrawn in place (TerminalFrame) as its order moves — each step with its
 * state, and under a wait the reason, one line per lagging nameserver. A finished block is left in the
 * scrollback and the next one starts below it.
 */
export class LiveView implements Reporter {
  private readonly frame: TerminalFrame;
  private current: CertificateProgress | undefined;
  private header = '';
  private stopped = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {
    this.frame = new TerminalFrame(out);
  }

  begin(names: readonly string[]): void {
    this.current = new CertificateProgress(names);
    this.stopped = false;
    this.header = `› ${names.join(', ')}: checking`;
    this.render();
  }

  progress(progress: OrderProgress): void {
    this.current ??= new CertificateProgress(progress.identifiers);
    const lease = leaseText(progress);
    if (lease !== undefined) {
      // Waiting: the block's header says for whom, until when. Taken over: a permanent line says from whom.
      this.header = `› ${this.current.names.join(', ')}${progress.takenOver ? '' : `: ${lease}`}`;
      if (progress.takenOver) this.print(lease);
      else this.render();
      return;
    }
    if (this.current.apply(progress)) {
      this.header = `› ${this.current.names.join(', ')}`;
      this.render();
    }
  }

  outcome(names: readonly string[], outcome: EnsureOutcome): void {
    const current = this.current ?? new CertificateProgress(names);
    if (outcome.type === 'issued' || outcome.type === 'renewed') current.stored();
    if (outcome.type === 'failed') current.fail();
    this.header = `${outcomeSymbol(outcome)} ${names.join(', ')}: ${outcomeText(outcome)}`;
    this.render();
    this.frame.done();
    this.current = undefined;
  }

  deployed(names: readonly string[], result: DeployResult): void {
    const hook = result.hook ? `; deploy hook ran in ${result.hook.ms} ms` : '';
    this.print(`  ${names[0]}: ${result.files.fullchain}${hook}`);
  }

  deployFailed(names: readonly string[], error: unknown): void {
    this.print(`✗ ${names.join(', ')}: deploy failed: ${errorText(error)}`);
  }

  warn(message: string): void {
    this.print(`warning: ${message}`);
  }

  info(message: string): void {
    this.print(message);
  }

  summary(counts: Readonly<Record<string, number>>, exitCode: number): void {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const parts = Object.entries(counts).map(([type, count]) => `${count} ${type}`);
    this.info(`${total} certificate${total === 1 ? '' : 's'}: ${parts.join(', ')} (exit ${exitCode})`);
  }

  /** The block stays on screen as it stopped (its running step marked ‖), the notice's line below it. */
  interrupted(notice: InterruptionNotice): void {
    this.frame.eraseLine();
    if (this.current) {
      this.header = `‖ ${this.current.names.join(', ')}: interrupted`;
      this.stopped = true;
      this.render();
      this.frame.done();
      this.current = undefined;
    }
    this.print(notice.message);
  }

  close(): void {
    this.frame.done();
  }

  /** A permanent line above the live block. */
  private print(text: string): void {
    this.frame.clear();
    this.out.write(`${text}\n`);
    if (this.current) this.render();
  }

  private render(): void {
    const lines = [this.header];
    const current = this.current;
    if (current?.started) {
      for (const { step, state } of current.states()) {
        let line = `    ${this.stopped && state === 'running' ? '‖' : SYMBOL[state]} ${step}`;
        if ((state === 'running' || state === 'failed') && current.detail)
          line += ` — ${current.detail.headline}`;
        lines.push(line);
        if ((state === 'running' || state === 'failed') && current.detail)
          for (const item of current.detail.items) lines.push(`        ${item}`);
      }
    }
    this.frame.render(lines.join('\n'));
  }
}
