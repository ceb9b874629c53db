import type { OrderProgress } from '@certkeeper/manager';
import type { EnsureOutcome } from '@certkeeper/policy';

/** What a deploy did for one certificate: where its files are, and the hook's result. */
export interface DeployResult {
  /** `privkey` absent for an external key (the caller's own CSR). */
  readonly files: { readonly fullchain: string; readonly privkey?: string };
  readonly wroteOutput: boolean;
  readonly hook?: { readonly command: readonly string[]; readonly ms: number };
  /** Nothing was issued: the last deployment was behind the stored certificate (or failed), and was done again. */
  readonly repaired?: boolean;
}

/** A run stopped by a signal: what was kept, and what resumes it (the one line `message` says it all). */
export interface InterruptionNotice {
  readonly signal: 'SIGINT' | 'SIGTERM';
  /** The (first) certificate whose work the signal stopped, if one was under way. */
  readonly names?: readonly string[];
  /** `order`: its order is stored and resumed by the next run; `nothing`: nothing was ordered for it yet. */
  readonly kept?: 'order' | 'nothing';
  /** Every certificate under way when the signal came (several run at once), in the items' order. */
  readonly stopped?: readonly { readonly names: readonly string[]; readonly kept: 'order' | 'nothing' }[];
  /** Certificates of this run not started. */
  readonly notStarted: readonly (readonly string[])[];
  /** The command that resumes it. */
  readonly resume: string;
  readonly message: string;
  readonly exitCode: number;
}

/**
 * How `issue`, `renew` and `run` tell a person (or a program) what happens. Three implementations: a live view on
 * a terminal, plain lines when output is not a terminal, and JSON lines with `--json`.
 */
export interface Reporter {
  /**
   * True when the output stays readable with several certificates in flight: their begin/progress/outcome calls
   * interleave, and every line (or block) names its certificate. A reporter without it gets one certificate at a
   * time.
   */
  readonly interleaves?: boolean;
  /** Work on this certificate starts (its freshness is about to be checked). */
  begin(names: readonly string[]): void;
  progress(progress: OrderProgress): void;
  outcome(names: readonly string[], outcome: EnsureOutcome): void;
  deployed(names: readonly string[], result: DeployResult): void;
  deployFailed(names: readonly string[], error: unknown): void;
  warn(message: string): void;
  info(message: string): void;
  /** The end of a run: how many certificates had each result, and the exit code that follows. */
  summary(counts: Readonly<Record<string, number>>, exitCode: number): void;
  /** The run was stopped by a signal: one line saying what was kept and that the next run resumes it. */
  interrupted(notice: InterruptionNotice): void;
  /** Restores the terminal (the live view's cursor); safe to call more than once. */
  close(): void;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
