import { runFailure } from './exit-codes.js';
import type { ResolvedOptions } from './options.js';
import { type RunResult, runProgram } from './run-program.js';
import { Semaphore } from './semaphore.js';

/** One run of the hook: arguments after `programArgs`, and what to add to its environment. */
export interface HookRun {
  readonly args: readonly string[];
  /** Zone for error messages (`DNS_ZONE_NOT_FOUND` names it) and `CERTKEEPER_ZONE`. */
  readonly zone: string;
  readonly mode: '' | 'RAW';
  readonly env: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly outputLimit?: number;
}

/**
 * Runs the configured program at most `concurrency` at a time, with lego's environment conventions, and turns
 * every unsuccessful run into the port's typed errors (see `runFailure`).
 */
export class HookRunner {
  private readonly slots: Semaphore;

  constructor(private readonly options: ResolvedOptions) {
    this.slots = new Semaphore(options.concurrency);
  }

  async run(hook: HookRun): Promise<RunResult> {
    const { program, programArgs } = this.options;
    const result = await this.slots.run(() =>
      runProgram(program, [...programArgs, ...hook.args], {
        env: this.environment(hook),
        ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
        timeoutMs: this.options.timeoutMs,
        killGraceMs: this.options.killGraceMs,
        // Room past the limit, so a secret cut by the bounded buffer is still whole when it is scrubbed below.
        outputLimit: hook.outputLimit ?? this.options.stderrLimit + 1024,
        ...(hook.signal ? { signal: hook.signal } : {}),
      }),
    );
    if (result.code === 0) return result;
    const what = hook.args
      .filter((arg) => arg !== '--')
      .slice(0, 2)
      .join(' ');
    // A listing keeps a long stdout; an error keeps only the usual bounded end of stderr.
    throw runFailure(program, what, hook.zone, {
      ...result,
      stderr: this.options.redactor.redact(result.stderr).slice(-this.options.stderrLimit),
    });
  }

  /**
   * lego passes its own environment on (scripts read their API credentials from it) and sets nothing else; the
   * `EXEC_*` variables are set here too, for scripts that check them, plus `CERTKEEPER_*` details so a script
   * need not parse the FQDN to find the zone.
   */
  private environment(hook: HookRun): NodeJS.ProcessEnv {
    const base = this.options.inheritEnv ? process.env : { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    return {
      ...base,
      ...this.options.env,
      EXEC_PATH: this.options.program,
      EXEC_MODE: hook.mode,
      CERTKEEPER_ACTION: hook.args[0] ?? '',
      CERTKEEPER_ZONE: hook.zone,
      ...hook.env,
    };
  }
}
