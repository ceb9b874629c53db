/**
 * Which file-system calls certkeeper makes in its store per certificate (issue 13): runs the built CLI under
 * strace against a local Pebble — once `issue` of one certificate (account already made), once `renew` of
 * `--certs` certificates (S3 of bench:peers) — and prints, per run, the store calls by kind and by path (hashes,
 * versions and nonces folded), divided by the number of certificates.
 *
 *   node --conditions=@certkeeper/source --import tsx test/bench/store-syscalls.ts [--certs 20] [--keep]
 *
 * With `--cpu-prof <dir>` it traces nothing and instead runs S3's `renew` `--runs` times under `node --cpu-prof`,
 * alternating between this tree's CLI and each `--cli <path>` given (another checkout's dist/cli.js, to compare).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cliPath, ensureCliBuilt, startTestCa, type TestCa } from '../cli/support/cli-harness.js';
import { benchConfig, http01StandaloneSolver } from './peers/runners.js';

const { values: flags } = parseArgs({
  options: {
    certs: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    runs: { type: 'string', default: '3' },
    cli: { type: 'string', multiple: true, default: [] },
  },
});
const certs = Number(flags.certs);
const traced =
  'trace=%file,fsync,fdatasync,fchmod,fstat,newfstatat,statx,close,read,pread64,write,writev,pwrite64,pwritev';

function run(
  dir: string,
  args: string[],
  trace?: string,
  node: string[] = [],
  cli = cliPath,
): Promise<number | null> {
  const [file, argv] = trace
    ? ['strace', ['-f', '-y', '-qq', '-s', '4096', '-e', traced, '-o', trace, process.execPath, cli, ...args]]
    : [process.execPath, [...node, cli, ...args]];
  const child = spawn(file, argv, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], env: process.env });
  return new Promise<number | null>((resolve) => child.on('exit', resolve));
}

const kinds: Record<string, string> = {
  openat: 'open',
  open: 'open',
  close: 'close',
  fsync: 'fsync',
  fdatasync: 'fsync',
  rename: 'rename',
  renameat: 'rename',
  renameat2: 'rename',
  link: 'link',
  linkat: 'link',
  symlink: 'link',
  symlinkat: 'link',
  unlink: 'unlink',
  unlinkat: 'unlink',
  rmdir: 'unlink',
  fchmod: 'fchmod',
  fstat: 'stat',
  newfstatat: 'stat',
  statx: 'stat',
  lstat: 'stat',
  stat: 'stat',
  read: 'read',
  pread64: 'read',
  write: 'write',
  writev: 'write',
  pwrite64: 'write',
  pwritev: 'write',
  mkdir: 'mkdir',
  mkdirat: 'mkdir',
  readlink: 'readlink',
  readlinkat: 'readlink',
  getdents64: 'readdir',
};

/** Calls whose path is inside the store, by kind and by folded path. */
async function summarise(trace: string, store: string, per: number): Promise<string> {
  const byKind = new Map<string, number>();
  const byPath = new Map<string, number>();
  for (const line of (await readFile(trace, 'utf8')).split('\n')) {
    const m = /^\d+\s+(\w+)\((.*)$/.exec(line);
    if (!m?.[1] || !m[2]?.includes(store)) continue;
    const kind = kinds[m[1]] ?? m[1];
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    const path = (/"(\/[^"]*)"/.exec(m[2])?.[1] ?? /<(\/[^>]*)>/.exec(m[2])?.[1] ?? '?')
      .replace(store, '')
      .replace(/[0-9a-f]{40}/g, 'H')
      .replace(/[0-9a-f]{16}\b/g, 'N')
      .replace(/-[0-9a-f]{12}\b/g, '-R')
      .replace(/\/[0-9a-z]{8,9}-[0-9a-f]{8}/g, '/V')
      .replace(/c\d+\.[0-9a-z-]+\.bench\.test/g, 'CERT');
    const failed = / = -1 (\w+)/.exec(m[2])?.[1];
    const key = `${kind} ${path}${failed ? ` (${failed})` : ''}`;
    byPath.set(key, (byPath.get(key) ?? 0) + 1);
  }
  const order = ['open', 'close', 'fsync', 'rename', 'link', 'unlink', 'stat', 'read', 'write', 'fchmod'];
  const kindsLine = [...byKind]
    .sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
    .map(([k, n]) => `${k} ${(n / per).toFixed(1)}`)
    .join(' · ');
  const paths = [...byPath]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, n]) => `  ${(n / per).toFixed(2).padStart(7)}  ${k}`)
    .join('\n');
  return `per certificate: ${kindsLine}\n${paths}`;
}

/** S3's renew under --cpu-prof, runs alternating between the CLIs; profiles in <dir>/<cli index>-<run>/. */
async function profile(work: string, ca: TestCa, dir: string): Promise<void> {
  const clis = [cliPath, ...(flags.cli ?? [])];
  for (let r = 0; r < Number(flags.runs); r++) {
    for (const [i, cli] of clis.entries()) {
      const s3 = join(work, `s3-${i}-${r}`);
      await mkdir(s3);
      const names = Array.from({ length: certs }, (_, k) => [`c${k}.p${i}r${r}.bench.test`]);
      await writeFile(join(s3, 'certkeeper.yaml'), benchConfig(ca, http01StandaloneSolver(ca), names));
      const out = join(dir, `${i}-${r}`);
      const code = await run(s3, ['renew'], undefined, ['--cpu-prof', `--cpu-prof-dir=${out}`], cli);
      console.log(`${cli} run ${r}: exit ${code}, profile in ${out}`);
    }
  }
}

async function main(): Promise<void> {
  await ensureCliBuilt();
  const work = await mkdtemp(join(tmpdir(), 'certkeeper-store-syscalls-'));
  const ca = await startTestCa(work);
  try {
    if (flags['cpu-prof']) return await profile(work, ca, flags['cpu-prof']);
    // One `issue`, the account made by an earlier one.
    const one = join(work, 'issue');
    await mkdir(one);
    await writeFile(join(one, 'certkeeper.yaml'), benchConfig(ca, http01StandaloneSolver(ca)));
    if ((await run(one, ['issue', 'warm.one.bench.test'])) !== 0) throw new Error('warm-up issue failed');
    await run(one, ['issue', 'c0.one.bench.test'], join(work, 'issue.trace'));
    console.log(
      `== certkeeper issue (1 certificate)\n${await summarise(join(work, 'issue.trace'), join(one, 'data'), 1)}`,
    );
    // S3: one `renew` of `certs` certificates, new account and all.
    const s3 = join(work, 's3');
    await mkdir(s3);
    const names = Array.from({ length: certs }, (_, k) => [`c${k}.s3.bench.test`]);
    await writeFile(join(s3, 'certkeeper.yaml'), benchConfig(ca, http01StandaloneSolver(ca), names));
    await run(s3, ['renew'], join(work, 's3.trace'));
    console.log(
      `== certkeeper renew (S3, ${certs} certificates)\n${await summarise(join(work, 's3.trace'), join(s3, 'data'), certs)}`,
    );
  } finally {
    await ca.close();
    if (!flags.keep) await rm(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
}

await main();
