import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A TypeScript child process run from sources (tsx, the "@certkeeper/source" condition), read line by line. */
export interface Child {
  readonly process: ChildProcess;
  readonly lines: string[];
  /** Resolves once a line satisfying `predicate` arrived (rejects if the child exits first). */
  waitFor(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** Send one line to the child's stdin. */
  send(line: string): void;
}

/**
 * Start `script` with `args`. `launcher` runs node through another program (`unshare --pid --fork` for a
 * process in its own pid namespace, as in a container).
 */
export function startChild(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  launcher: readonly string[] = [],
): Child {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const [program, ...programArgs] = [
    ...launcher,
    process.execPath,
    '--conditions=@certkeeper/source',
    '--import',
    'tsx',
    path,
    ...args,
  ];
  const child = spawn(program!, programArgs, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  let partial = '';
  let errors = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close', not 'exit': every line the child wrote before it died has been read by then.
    child.on('close', (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal });
    }),
  );
  return {
    process: child,
    lines,
    exited,
    stderr: () => errors,
    send: (line) => child.stdin!.write(`${line}\n`),
    waitFor(predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`child ${script} printed no expected line in ${timeoutMs} ms; stderr: ${errors}`));
        }, timeoutMs);
        const check = () => {
          const found = lines.find(predicate);
          if (found !== undefined || child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            if (found !== undefined) resolve(found);
            else reject(new Error(`child ${script} exited before the expected line; stderr: ${errors}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}
