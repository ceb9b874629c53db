import { ExitCode } from '../exit-codes.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The exit code of a run a signal stopped: 128 + its number, as a shell reports a process it killed. */
export function signalExitCode(signal: StopSignal): typeof ExitCode.INTERRUPTED | typeof ExitCode.TERMINATED {
  return signal === 'SIGINT' ? ExitCode.INTERRUPTED : ExitCode.TERMINATED;
}

export interface InterruptionOptions {
  /** The first signal: the work is being aborted (it stops at its next safe point). */
  readonly onStop?: (signal: StopSignal) => void;
  /**
   * A second signal while stopping: the person does not want to wait. Runs synchronously just before the process
   * exits with the signal's code — restore the terminal and say what is left here.
   */
  readonly onExitNow: (signal: StopSignal) => void;
}

/**
 * SIGINT and SIGTERM as a path of their own instead of the default instant death: the first aborts `signal`, so
 * the running step stops where it is — every step's state was stored when it began, leases are released on the
 * way out, and the next run resumes the order. A second signal exits at once. `dispose()` restores the default.
 */
export class Interruption {
  private readonly controller = new AbortController();
  private first: StopSignal | undefined;
  private readonly handler = (signal: NodeJS.Signals) => this.receive(signal as StopSignal);

  constructor(private readonly options: InterruptionOptions) {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The first signal received, if any. */
  get received(): StopSignal | undefined {
    return this.first;
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }

  private receive(signal: StopSignal): void {
    if (this.first) {
      this.options.onExitNow(signal);
      process.exit(signalExitCode(signal));
    }
    this.first = signal;
    this.options.onStop?.(signal);
    this.controller.abort();
  }
}
