import { spawn } from 'node:child_process';

export interface RunOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs: number;
  /** After SIGTERM on timeout, how long to wait before SIGKILL. */
  readonly killGraceMs: number;
  /** How many bytes of the end of stderr (and of stdout) to keep. */
  readonly outputLimit: number;
  readonly signal?: AbortSignal;
}

export interface RunResult {
  /** Exit code, or undefined when the program was killed by a signal. */
  readonly code: number | undefined;
  readonly signal: NodeJS.Signals | undefined;
  readonly timedOut: boolean;
  /** The last `outputLimit` bytes, decoded as UTF-8. */
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  readonly spawnError?: Error;
}

/**
 * Runs a program with an argument array, never a shell string, so values cannot be interpreted as shell syntax
 * (`spawn` without `shell`). Output is kept bounded: a chatty or hostile program cannot fill memory.
 */
export function runProgram(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const stdout = new Tail(options.outputLimit);
    const stderr = new Tail(options.outputLimit);
    let timedOut = false;
    let settled = false;
    const child = spawn(file, args, {
      env: options.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      // Its own process group, so a timeout also reaches what a hook script started (`sleep`, `curl`...),
      // which would otherwise keep our pipes open and outlive the kill.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const finish = (result: Omit<RunResult, 'stdout' | 'stderr' | 'durationMs' | 'timedOut'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', stop);
      resolve({
        ...result,
        timedOut,
        stdout: stdout.text(),
        stderr: stderr.text(),
        durationMs: performance.now() - started,
      });
    };
    let killTimer: NodeJS.Timeout | undefined;
    const signalAll = (name: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, name);
        else child.kill(name);
      } catch {
        // Already gone.
      }
    };
    const stop = () => {
      signalAll('SIGTERM');
      // A program that ignores SIGTERM is killed for good after the grace period.
      killTimer = setTimeout(() => signalAll('SIGKILL'), options.killGraceMs);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', stop, { once: true });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => finish({ code: undefined, signal: undefined, spawnError: error }));
    child.on('close', (code, signal) => finish({ code: code ?? undefined, signal: signal ?? undefined }));
    child.on('exit', (code, signal) => {
      // 'close' waits for the pipes; a background process the hook left behind may hold them for long.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish({ code: code ?? undefined, signal: signal ?? undefined });
      }, 200).unref();
    });
  });
}

/** Keeps the last `limit` bytes written to it. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  dropped = false;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.limit && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
      this.dropped = true;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    const kept = all.length > this.limit ? all.subarray(all.length - this.limit) : all;
    const cut = this.dropped || all.length > this.limit;
    // Control characters other than newline and tab are dropped: the text ends up in error messages and logs.
    const clean = kept.toString('utf8').replace(/[^\P{Cc}\n\t]/gu, '');
    return cut ? `…${clean}` : clean;
  }
}
