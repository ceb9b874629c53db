import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The preload that kills a process before a chosen write; see kill-points.cjs for its variables. */
export const killPointsPreload = fileURLToPath(new URL('./kill-points.cjs', import.meta.url));

export type KillPointOp =
  | 'rename'
  | 'unlink'
  | 'rm'
  | 'rmdir'
  | 'symlink'
  | 'link'
  | 'writeFile'
  | 'mkdir'
  | 'appendFile';

export interface KillPointOptions {
  /** SIGKILL before this counted write point (1-based); omit to only trace. */
  readonly at?: number;
  /** Append every counted point to this file. */
  readonly trace?: string;
  /** Operations that count (default rename, unlink, rm, rmdir, symlink). */
  readonly ops?: readonly KillPointOp[];
  /** Count only points whose path contains this text (a store sub-directory, a file name). */
  readonly match?: string;
}

/**
 * Environment variables for a child process (the built CLI, a worker script) that loads the preload. Merge them
 * into the child's env; an existing NODE_OPTIONS is kept.
 */
export function killPointEnv(options: KillPointOptions, nodeOptions = ''): Record<string, string> {
  return {
    NODE_OPTIONS: `${nodeOptions} --require=${killPointsPreload}`.trim(),
    ...(options.at !== undefined ? { CERTKEEPER_KILL_AT: String(options.at) } : {}),
    ...(options.trace ? { CERTKEEPER_KILL_TRACE: options.trace } : {}),
    ...(options.ops ? { CERTKEEPER_KILL_OPS: options.ops.join(',') } : {}),
    ...(options.match ? { CERTKEEPER_KILL_MATCH: options.match } : {}),
  };
}

export interface TracedPoint {
  readonly n: number;
  readonly op: KillPointOp;
  readonly paths: readonly string[];
}

/** The points a traced run passed, in order: run once with `trace`, then once per point with `at`. */
export async function readKillTrace(file: string): Promise<TracedPoint[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [n, op, ...paths] = line.split(' ');
      return { n: Number(n), op: op as KillPointOp, paths };
    });
}
