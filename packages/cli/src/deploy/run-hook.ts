import { spawn } from 'node:child_process';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/** How a failure of a hook is told: which hook, what it means, what to do. */
export interface HookLabel {
  readonly name: string;
  readonly consequence: string;
  readonly hint: string;
}

const DEPLOY_HOOK: HookLabel = {
  name: 'deploy hook',
  consequence: 'the certificate is stored and valid',
  hint: 'fix the hook, then run it by hand with the same CERTKEEPER_* variables (see the README).',
};

/** Bytes of the hook's output kept for an error message (its end, where the reason usually is). */
const OUTPUT_TAIL = 2048;

/**
 * Run a deploy hook: `command[0]` with the rest as arguments, no shell (so names and paths are never parsed as
 * shell syntax), with `env` added to certkeeper's environment. Resolves when it exits 0.
 *
 * @throws CertkeeperError DEPLOY_HOOK_FAILED when it cannot start, exits non-zero, is killed, or runs past
 *   `timeoutMs` (then it gets SIGTERM, and SIGKILL 5 s later); the message ends with its output's last lines.
 */
export function runDeployHook(
  command: readonly string[],
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
  label: HookLabel = DEPLOY_HOOK,
): Promise<{ readonly ms: number }> {
  const started = performance.now();
  const [program, ...args] = command;
  return new Promise((resolve, reject) => {
    const child = spawn(program!, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    const fail = (what: string, cause?: unknown) =>
      reject(
        new CertkeeperError(
          ErrorCodes.DEPLOY_HOOK_FAILED,
          `The ${label.name} ${JSON.stringify(command.join(' '))} ${what}; ${label.consequence}.${output.trim() ? `\n--- hook output (end) ---\n${output.trimEnd()}` : ''}`,
          {
            hint: label.hint,
            cause,
          },
        ),
      );
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(`could not be started (${error.code === 'ENOENT' ? 'program not found' : error.code})`, error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) fail(`ran longer than ${Math.round(timeoutMs / 1000)} s and was stopped`);
      else if (code === 0) resolve({ ms: Math.round(performance.now() - started) });
      else if (code !== null) fail(`exited with status ${code}`);
      else if (signal) fail(`was killed by ${signal}`);
    });
  });
}
