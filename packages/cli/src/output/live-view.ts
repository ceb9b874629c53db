import { parseIdentifiers } from '@certkeeper/core';
import type { OrderProgress } from '@certkeeper/manager';
import { CertificateProgress, type StepState } from '@certkeeper/manager/order-steps';
import type { EnsureOutcome } from '@certkeeper/policy';
import { shortPath, wrapText } from './fit-text.js';
import { formatElapsed } from './format-time.js';
import { leaseText } from './lease-text.js';
import { outcomeSymbol, outcomeText } from './outcome-text.js';
import { type DeployResult, errorText, type InterruptionNotice, type Reporter } from './reporter.js';
import { TerminalFrame } from './terminal-frame.js';

const SYMBOL: Readonly<Record<StepState, string>> = { done: '✓', running: '›', failed: '✗', pending: '·' };
/** The header's mark while a certificate is in flight: it turns once a second, so a long wait visibly lives. */
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** One certificate in flight. */
interface Block {
  readonly names: readonly string[];
  readonly progress: CertificateProgress;
  /** What the header says after the names: `checking`, a lease wait; empty once the order runs. */
  status: string;
  /** The step (or wait) the elapsed time counts for, and since when. */
  counting: string | undefined;
  since: number;
}

export interface LiveViewOptions {
  /** Clock in ms, for tests (default `Date.now`). */
  readonly now?: () => number;
  /** The home directory shown as `~` in paths. */
  readonly home?: string;
}

/**
 * On a terminal: a block per certificate in flight (several when certificates are renewed concurrently), redrawn
 * together in place (TerminalFrame) — each step with its state, the running one with its reason and how long it
 * has run, and under a wait one line per lagging nameserver. A finished block moves above the live region once,
 * as it ended, with its error (and the one "Next:" line) below it; the scrollback holds nothing else of it.
 */
export class LiveView implements Reporter {
  /** A block per certificate in flight: `renew` may work on several at once. */
  readonly interleaves = true;
  private readonly frame: TerminalFrame;
  private readonly blocks = new Map<string, Block>();
  /** Certificates whose outcome was shown: a late event of theirs must not open a block nobody closes. */
  private readonly finished = new Set<string>();
  private readonly now: () => number;
  private ticker: NodeJS.Timeout | undefined;
  private tick = 0;

  constructor(
    out: NodeJS.WriteStream = process.stdout,
    private readonly options: LiveViewOptions = {},
  ) {
    this.frame = new TerminalFrame(out);
    this.now = options.now ?? Date.now;
  }

  begin(names: readonly string[]): void {
    this.finished.delete(keyOf(names));
    this.blocks.set(keyOf(names), {
      names,
      progress: new CertificateProgress(names),
      status: 'checking',
      counting: undefined,
      since: this.now(),
    });
    this.draw();
  }

  progress(progress: OrderProgress): void {
    if (this.finished.has(keyOf(progress.identifiers))) return;
    const block = this.blockOf(progress.identifiers);
    const lease = leaseText(progress);
    if (lease !== undefined) {
      // Waiting: the block's header says for whom, until when. Taken over: a permanent line says from whom.
      if (progress.takenOver) {
        block.status = '';
        this.draw(this.layout(lease));
      } else {
        this.count(block, 'lease');
        block.status = lease;
        this.draw();
      }
      return;
    }
    const changed = block.progress.apply(progress);
    if (block.status === '' && !changed) return;
    block.status = '';
    this.count(block, block.progress.currentStep);
    this.draw();
  }

  outcome(names: readonly string[], outcome: EnsureOutcome): void {
    const block = this.blocks.get(keyOf(names));
    const progress = block?.progress ?? new CertificateProgress(names);
    this.blocks.delete(keyOf(names));
    this.finished.add(keyOf(names));
    if (outcome.type === 'issued' || outcome.type === 'renewed') progress.stored();
    let lines: string[];
    if (outcome.type === 'failed') {
      progress.fail();
      // The error once, below the checklist, with its "Next:" line: the failed step carries no text of its own.
      lines = [
        `${outcomeSymbol(outcome)} ${names.join(', ')}: failed`,
        ...this.steps(progress, 'final'),
        ...this.layout(outcomeText(outcome).replace(/\n\s*/g, '\n'), 2),
      ];
    } else {
      lines = [
        ...this.layout(`${outcomeSymbol(outcome)} ${names.join(', ')}: ${outcomeText(outcome)}`),
        ...this.steps(progress, 'final'),
      ];
    }
    this.draw(lines);
  }

  deployed(names: readonly string[], result: DeployResult): void {
    const hook = result.hook ? `; deploy hook ran in ${result.hook.ms} ms` : '';
    const lead = `  ${names[0]}: `;
    const room = Math.max(20, this.frame.width - lead.length - hook.length);
    this.draw([`${lead}${shortPath(result.files.fullchain, room, this.options.home)}${hook}`]);
  }

  deployFailed(names: readonly string[], error: unknown): void {
    this.draw(
      this.layout(`✗ ${names.join(', ')}: deploy failed: ${errorText(error).replace(/\n/g, '\n  ')}`),
    );
  }

  warn(message: string): void {
    this.draw(this.layout(`warning: ${message}`));
  }

  info(message: string): void {
    this.draw(this.layout(message));
  }

  summary(counts: Readonly<Record<string, number>>, exitCode: number): void {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const parts = Object.entries(counts).map(([type, count]) => `${count} ${type}`);
    this.info(`${total} certificate${total === 1 ? '' : 's'}: ${parts.join(', ')} (exit ${exitCode})`);
  }

  /** Every block in flight stays on screen as it stopped (its running step marked ‖), the notice's line below. */
  interrupted(notice: InterruptionNotice): void {
    this.frame.eraseLine();
    const stopped = [...this.blocks.values()].flatMap((block) => [
      `‖ ${block.names.join(', ')}: interrupted`,
      ...this.steps(block.progress, 'stopped'),
    ]);
    this.blocks.clear();
    this.draw([...stopped, ...this.layout(notice.message)]);
  }

  close(): void {
    this.stopTicker();
    this.frame.done();
  }

  /** The block for a progress event's identifiers. */
  private blockOf(identifiers: readonly string[]): Block {
    const found = this.blocks.get(keyOf(identifiers));
    if (found) return found;
    const block: Block = {
      names: identifiers,
      progress: new CertificateProgress(identifiers),
      status: '',
      counting: undefined,
      since: this.now(),
    };
    this.blocks.set(keyOf(identifiers), block);
    return block;
  }

  /** Restart the elapsed time when the block moves to another step (or into a lease wait). */
  private count(block: Block, what: string | undefined): void {
    if (block.counting === what) return;
    block.counting = what;
    block.since = this.now();
  }

  /** Redraw the live region, writing `permanent` above it first. */
  private draw(permanent: readonly string[] = []): void {
    this.frame.draw(this.region(), permanent);
    if (this.blocks.size > 0) this.startTicker();
    else this.stopTicker();
  }

  /**
   * Every block in flight, in the order they began. When they do not fit the terminal's height (the region could
   * no longer be moved over), one line each.
   */
  private region(): string[] {
    const blocks = [...this.blocks.values()];
    const full = blocks.flatMap((block) => this.block(block));
    const room = this.frame.height - 1;
    if (full.length <= room) return full;
    const compact = blocks.map((block) => this.fit(this.compactLine(block)));
    if (compact.length <= room) return compact;
    return [...compact.slice(0, room - 1), `  … and ${compact.length - room + 1} more`];
  }

  private block(block: Block): string[] {
    const header = `${this.spinner()} ${block.names.join(', ')}${block.status ? `: ${block.status}${this.elapsed(block)}` : ''}`;
    return [...wrapText(header, this.frame.width, 4, 0), ...this.steps(block.progress, 'live', block)];
  }

  private compactLine(block: Block): string {
    const names = block.names.join(', ');
    if (block.status) return `${this.spinner()} ${names}: ${block.status}${this.elapsed(block)}`;
    const detail = block.progress.detail ? ` — ${sentence(block.progress.detail.headline)}` : '';
    return `${this.spinner()} ${names}: ${block.progress.currentStep ?? ''}${detail}${this.elapsed(block)}`;
  }

  /**
   * The checklist. `live`: the running step with its reason, its elapsed time and the lagging servers; `final`:
   * marks only (a failure's text follows the block); `stopped`: marks only, the running step as ‖.
   */
  private steps(progress: CertificateProgress, mode: 'live' | 'final' | 'stopped', block?: Block): string[] {
    if (!progress.started) return [];
    const lines: string[] = [];
    for (const { step, state } of progress.states()) {
      const mark = mode === 'stopped' && state === 'running' ? '‖' : SYMBOL[state];
      if (mode !== 'live' || state !== 'running' || !block) {
        lines.push(`    ${mark} ${step}`);
        continue;
      }
      const detail = progress.detail ? ` — ${sentence(progress.detail.headline)}` : '';
      lines.push(...wrapText(`${mark} ${step}${detail}${this.elapsed(block)}`, this.frame.width, 8, 4));
      for (const item of progress.detail?.items ?? []) lines.push(...wrapText(item, this.frame.width, 10, 8));
    }
    return lines;
  }

  /**
   * Text as lines that fit the width: each line keeps its own indentation (plus `indent`), and what wraps goes on
   * two columns further in.
   */
  private layout(text: string, indent = 0): string[] {
    return text.split('\n').flatMap((line) => {
      const own = indent + (/^ */.exec(line)?.[0].length ?? 0);
      return wrapText(line, this.frame.width, own + 2, own);
    });
  }

  private elapsed(block: Block): string {
    return ` (${formatElapsed(this.now() - block.since)})`;
  }

  private spinner(): string {
    return SPINNER[this.tick % SPINNER.length]!;
  }

  private fit(line: string): string {
    const chars = [...line];
    return chars.length <= this.frame.width ? line : `${chars.slice(0, this.frame.width - 1).join('')}…`;
  }

  /** Once a second while a certificate is in flight: the elapsed times and the spinner move on. */
  private startTicker(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => {
      this.tick++;
      this.frame.draw(this.region());
    }, 1000);
    // A run that has finished its work exits; the view never keeps it alive.
    this.ticker.unref();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}

/**
 * A certificate's key in the view: its names as the order's identifiers are (punycode, lower case, canonical IP
 * addresses), in any order — progress events carry those, `begin` and `outcome` the names as configured.
 */
function keyOf(names: readonly string[]): string {
  let normalized: string[];
  try {
    normalized = parseIdentifiers(names).map((identifier) => `${identifier.type}:${identifier.value}`);
  } catch {
    normalized = names.map((name) => name.toLowerCase());
  }
  return normalized.sort().join('\n');
}

/** A reason as the middle of a line: `Waiting for …` → `waiting for …` (an acronym such as "CA" is left as it is). */
function sentence(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? `${text[0]!.toLowerCase()}${text.slice(1)}` : text;
}
