import { type ChildProcess, spawn } from 'node:child_process';
import { onProcessExit } from './exit-cleanup.js';
import { findExecutable } from './find-executable.js';
import { OutputBuffer } from './output-buffer.js';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (binary missing, not executable). */
  readonly error?: Error;
}

/** A child server process whose output is kept (bounded) and which dies with the test process. */
export interface ManagedProcess {
  readonly name: string;
  /** The server's process id (with setpriv, it execs the server, so this is the server itself). */
  readonly pid: number | undefined;
  readonly output: OutputBuffer;
  /** Resolves once the process is gone; never rejects. */
  readonly exited: Promise<ExitInfo>;
  /** How it ended, or undefined while it runs. */
  exitInfo(): ExitInfo | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnManagedOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/**
 * Starts `command` with stdout and stderr captured into one bounded {@link OutputBuffer}.
 *
 * No orphan survives a crashed test run: the process is SIGKILLed from the parent's 'exit' event and, where
 * util-linux `setpriv` exists, also through the kernel's parent-death signal, which fires even when the test
 * worker itself is killed with SIGKILL and no JavaScript runs. The child is unref'd, so a forgotten `stop()` never
 * keeps a test worker alive.
 */
export function spawnManaged(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnManagedOptions = {},
): ManagedProcess {
  const output = new OutputBuffer();
  const setpriv = parentDeathWrapper();
  const [file, argv] = setpriv
    ? [setpriv, ['--pdeathsig', 'KILL', '--', command, ...args]]
    : [command, [...args]];
  const child: ChildProcess = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let info: ExitInfo | undefined;
  const forget = onProcessExit(() => {
    if (info === undefined) child.kill('SIGKILL');
  });
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', (error) => {
      info ??= { code: null, signal: null, error };
      forget();
      resolve(info);
    });
    child.once('exit', (code, signal) => {
      info ??= { code, signal };
      forget();
      resolve(info);
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => output.append(chunk));
    (stream as { unref?: () => void } | null)?.unref?.();
  }
  child.unref();

  return {
    name,
    pid: child.pid,
    output,
    exited,
    exitInfo: () => info,
    async stop(graceMs = 2_000) {
      if (info !== undefined) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs);
      });
      if ((await Promise.race([exited, graceOver])) === 'timeout') child.kill('SIGKILL');
      clearTimeout(timer);
      await exited;
    },
  };
}

let setprivPath: string | null | undefined;

/** util-linux `setpriv` on PATH (Linux only), looked up once. */
function parentDeathWrapper(): string | null {
  setprivPath ??= process.platform === 'linux' ? (findExecutable('setpriv') ?? null) : null;
  return setprivPath;
}
