// Runs the BUILT `certkeeper` binary (packages/cli/dist/cli.js) as a subprocess, the way a person or cron does,
// against a private Pebble behind the testkit's fault-injection proxy (so a test can prove what was — or was
// not — sent to the CA).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  type FaultProxy,
  type PebbleHandle,
  type StartPebbleOptions,
  startFaultProxy,
  startPebble,
} from '@certkeeper/testkit';

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const cliPath = join(repoRoot, 'packages/cli/dist/cli.js');
const run = promisify(execFile);

/**
 * Build the CLI (and what it depends on) when dist is missing or older than its sources. `pnpm test` builds
 * first; this keeps `vitest run test/cli` working on a fresh clone too. A lock directory keeps parallel test
 * files from building at once.
 */
export async function ensureCliBuilt(): Promise<void> {
  const lock = join(tmpdir(), 'certkeeper-cli-build.lock');
  for (let waited = 0; ; waited += 200) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // A lock whose holder is gone (a test run killed while it held it) is taken over at once: waiting out its age
      // outlasted the first test file's beforeAll.
      if (await lockHolderGone(lock)) await rm(lock, { recursive: true, force: true });
      if (waited > 180_000) throw new Error(`the CLI build lock ${lock} stayed taken for 3 minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    // dist/cli.js is an esbuild bundle of tsc's output for the CLI and every workspace package it uses, so any
    // of their sources makes it stale; package.json's "build" steps: tsc, then the bundle.
    if (await isStale(cliPath, await bundledSources())) {
      await run('npx', ['tsc', '-b', 'packages/cli'], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
      await run(process.execPath, ['packages/cli/scripts/bundle-cli.mjs'], { cwd: repoRoot });
    }
    // The daemon's status page is bundled by esbuild, not tsc: build it too when its sources are newer.
    if (await isStale(pagePath, ['packages/web/src', 'packages/web/scripts']))
      await run(process.execPath, ['packages/web/scripts/build-page.mjs'], { cwd: repoRoot });
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

const pagePath = join(repoRoot, 'packages/web/dist/page/manifest.json');

/** The build lock's holder no longer runs, or the lock is older than any build takes (3 minutes). */
async function lockHolderGone(lock: string): Promise<boolean> {
  const info = await stat(lock).catch(() => undefined);
  if (!info) return false;
  if (Date.now() - info.mtimeMs > 180_000) return true;
  const pid = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
  // No pid yet: the holder is between mkdir and writing it; give it a second.
  if (!pid) return Date.now() - info.mtimeMs > 1000;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The source directories the CLI's bundle is made from: every workspace package's and plugin's `src`, and the bundler. */
async function bundledSources(): Promise<string[]> {
  const sources = ['packages/cli/scripts'];
  for (const parent of ['packages', 'plugins'])
    for (const entry of await readdir(join(repoRoot, parent), { withFileTypes: true }))
      if (
        entry.isDirectory() &&
        (await stat(join(repoRoot, parent, entry.name, 'src')).catch(() => undefined))
      )
        sources.push(`${parent}/${entry.name}/src`);
  return sources;
}

async function isStale(output = cliPath, sources = ['packages/cli/src']): Promise<boolean> {
  const built = await stat(output).catch(() => undefined);
  if (!built) return true;
  const newest = async (dir: string): Promise<number> => {
    let latest = 0;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      latest = Math.max(latest, entry.isDirectory() ? await newest(path) : (await stat(path)).mtimeMs);
    }
    return latest;
  };
  for (const source of sources) if ((await newest(join(repoRoot, source))) > built.mtimeMs) return true;
  return false;
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** A CLI result as a failure message shows it: exit code, then stdout and stderr. */
export const explain = (result: CliResult): string =>
  `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;

export interface CliOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
  /** Run as this uid/gid (root only, through setpriv): permission tests mean nothing to root. */
  readonly user?: number;
}

/** The environment a CLI run gets: PATH and HOME only, plus the test's variables — nothing from the developer. */
function cliEnv(options: CliOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: options.cwd,
    TERM: 'dumb',
    ...Object.fromEntries(Object.entries(options.env ?? {}).filter(([, v]) => v !== undefined)),
  } as NodeJS.ProcessEnv;
}

export function spawnCli(args: readonly string[], options: CliOptions): ChildProcess {
  const command = options.user === undefined ? process.execPath : 'setpriv';
  const prefix =
    options.user === undefined
      ? []
      : [`--reuid=${options.user}`, `--regid=${options.user}`, '--clear-groups', process.execPath];
  return spawn(command, [...prefix, cliPath, ...args], {
    cwd: options.cwd,
    env: cliEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  const started = performance.now();
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/** JSON lines of a `--json` run. */
export function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

const workdirs: string[] = [];

/** A directory for one test: config, store, outputs. World-traversable so a setpriv'd run can use it. */
export async function workdir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `certkeeper-cli-${prefix}-`));
  await chmod(dir, 0o755);
  workdirs.push(dir);
  return dir;
}

/** Remove this file's work directories (in afterAll), unless CERTKEEPER_KEEP_TEST_DIRS is set to look at them. */
export async function removeWorkdirs(): Promise<void> {
  if (process.env.CERTKEEPER_KEEP_TEST_DIRS) return;
  for (const dir of workdirs.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** Pebble, with its VA's http-01 port free for the CLI's standalone responder, behind the fault proxy. */
export interface TestCa {
  readonly pebble: PebbleHandle;
  readonly proxy: FaultProxy;
  /** The port Pebble's VA connects to for http-01: the CLI's `http-01-standalone` listens here. */
  readonly httpPort: number;
  /** A file holding the proxy's CA certificate (what `ca.caBundle` points at). */
  readonly caBundleFile: string;
  close(): Promise<void>;
}

export async function startTestCa(dir: string, options: StartPebbleOptions = {}): Promise<TestCa> {
  const httpPort = await freePort();
  const pebble = await startPebble({ httpPort, ...options });
  const proxy = await startFaultProxy({ target: pebble.directoryUrl, caBundlePem: pebble.caBundlePem });
  const caBundleFile = join(dir, 'ca-bundle.pem');
  await writeFile(caBundleFile, proxy.caBundlePem, { mode: 0o644 });
  return {
    pebble,
    proxy,
    httpPort,
    caBundleFile,
    close: async () => {
      await proxy.close();
      await pebble.stop();
    },
  };
}

/**
 * A config for the test CA with an http-01 standalone responder on the VA's port; `extra` is appended YAML. The
 * CA's terms are agreed to (`account.agreeTos`), as a person would have once.
 */
export function caConfig(ca: TestCa, storeDirectory: string, extra = ''): string {
  return `ca:
  directory: ${ca.proxy.directoryUrl}
  caBundle: ${ca.caBundleFile}
  rateLimits: letsencrypt
account:
  email: ops@example.test
  agreeTos: true
store:
  directory: ${storeDirectory}
solvers:
  - type: http-01-standalone
    listen: 127.0.0.1:${ca.httpPort}
${extra}`;
}

/** Requests the CA saw that change something or cost anything (everything but GETs of the directory). */
export function significantRequests(proxy: FaultProxy): string[] {
  return proxy.log.filter((entry) => entry.method !== 'GET').map((entry) => `${entry.method} ${entry.kind}`);
}
