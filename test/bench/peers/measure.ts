import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';

export interface Measured {
  readonly wallMs: number;
  /** Peak resident set size of the process (its largest descendant when it forks), in MB. */
  readonly rssMb: number;
  /** User + system CPU time of the process and its waited-for children (GNU time's %U + %S); NaN without it. */
  readonly cpuMs: number;
  readonly code: number | null;
  readonly output: string;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Run one command to its end and measure its wall time and peak RSS: through GNU time's %M when /usr/bin/time is
 * present (the kernel's own high-water mark), else by sampling /proc/<pid>/status VmHWM while it runs.
 */
export async function measure(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; rssFile: string },
): Promise<Measured> {
  const timed = existsSync(GNU_TIME);
  const [file, argv] = timed
    ? [GNU_TIME, ['-f', '%U %S %M', '-o', options.rssFile, command, ...args]]
    : [command, [...args]];
  const started = performance.now();
  const child = spawn(file, argv, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  let sampledKb = 0;
  const sampler = timed
    ? undefined
    : setInterval(async () => {
        const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        sampledKb = Math.max(sampledKb, hwm);
      }, 10);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallMs = performance.now() - started;
  if (sampler) clearInterval(sampler);
  let kb = sampledKb;
  let cpuMs = Number.NaN;
  if (timed) {
    // GNU time writes "Command exited with non-zero status N" before the figures when the command failed.
    const lines = (await readFile(options.rssFile, 'utf8').catch(() => '')).trim().split('\n');
    const [user, system, maxKb] = (lines.at(-1) ?? '').split(' ').map(Number);
    kb = maxKb || 0;
    if (user !== undefined && system !== undefined) cpuMs = Math.round((user + system) * 1000);
    await rm(options.rssFile, { force: true });
  }
  return { wallMs, rssMb: kb / 1024, cpuMs, code, output };
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
