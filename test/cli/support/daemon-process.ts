import type { ChildProcess } from 'node:child_process';
import { type CliOptions, spawnCli } from './cli-harness.js';

export interface DaemonProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** Wait until the daemon has printed a line matching `pattern`; fails early when it exits. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** `certkeeper run` as a child process, with its output collected and a way to wait for a line. */
export function startDaemon(args: readonly string[], options: CliOptions): DaemonProcess {
  const child = spawnCli(['run', ...args], options);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    output: () => output,
    async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline)
          throw new Error(`the daemon never printed ${pattern}; it printed:\n${output}`);
        if (child.exitCode !== null) throw new Error(`the daemon exited (${child.exitCode}):\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
