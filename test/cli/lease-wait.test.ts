// A run that finds a certificate's lease taken says who holds it and until when, in one plain line; a lease whose
// holder was killed (SIGKILL, so it never released it) is taken over at once on the same host — by a run already
// waiting, or by the next one started — which says whose it was. Real `certkeeper renew` processes share one store;
// http-01 goes through a webroot served by the test (two standalone responders could not share the VA's port), and
// the holder's challenge answer is held unanswered at the fault proxy so it holds the lease mid-validation.
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { faults } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
  cliPath,
  ensureCliBuilt,
  removeWorkdirs,
  spawnCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

const socket = `certkeeper-cli-lease-${process.pid}`;
const tmux = (...args: string[]) => promisify(execFile)('tmux', ['-L', socket, ...args]);
let dir: string;
let ca: TestCa;
let webroot: Server;
const children: ChildProcess[] = [];

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('lease-wait');
  ca = await startTestCa(dir);
  await mkdir(join(dir, 'www'));
  // The web server Pebble's VA asks for http-01: it serves the webroot the CLI writes tokens into.
  webroot = createServer((request, response) => {
    const path = request.url ?? '';
    if (!/^\/\.well-known\/acme-challenge\/[\w-]+$/.test(path)) return response.writeHead(404).end();
    readFile(join(dir, 'www', path)).then(
      (body) => response.writeHead(200).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => webroot.listen(ca.httpPort, '127.0.0.1', resolve));
}, 120_000);
afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  for (const child of children) child.kill('SIGKILL');
  await new Promise((resolve) => webroot?.close(resolve));
  await ca?.close();
  await removeWorkdirs();
});

interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
  /** Resolves with the time the line appeared. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<number>;
}

function renew(configFile: string): Run {
  const child = spawnCli(['renew', '--config', configFile], { cwd: dir });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => output,
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`never printed ${pattern} (exit ${child.exitCode}):\n${output}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return performance.now();
    },
  };
}

async function config(name: string, certificate: string) {
  const yaml = caConfig(ca, './data', `certificates:\n  - names: [${certificate}]\n`).replace(
    /solvers:\n {2}- type: http-01-standalone\n {4}listen: .*\n/,
    `solvers:\n  - type: http-01-webroot\n    webroot: ${join(dir, 'www')}\n`,
  );
  expect(yaml).toContain('http-01-webroot');
  await writeFile(join(dir, name), yaml);
  return name;
}

/** `renew` holding the certificate's lease inside validation: its challenge answer never reaches Pebble. */
async function holderInValidation(configFile: string, name: string) {
  const rule = ca.proxy.addRule({
    kind: 'challenge',
    method: 'POST',
    times: 1,
    action: faults.respond(() => new Promise(() => {})),
  });
  const holder = renew(configFile);
  await holder.waitFor(new RegExp(`^${name.replaceAll('.', '\\.')}: validation$`, 'm'));
  await new Promise((r) => setTimeout(r, 300));
  return { holder, release: () => rule.remove() };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a certificate whose lease another run holds', () => {
  it('the waiting run says who holds it until when, once; SIGKILL of the holder: taken over within 2 s', async () => {
    const file = await config('waiting.yaml', 'held.lease.test');
    ca.proxy.clearLog();
    const { holder, release } = await holderInValidation(file, 'held.lease.test');
    const waiter = renew(file);
    const who = `process ${holder.child.pid} on ${hostname()} (certkeeper renew)`;
    await waiter.waitFor(
      new RegExp(
        `^waiting for ${escapeRegExp(who)}, which holds held\\.lease\\.test until \\d\\d:\\d\\d:\\d\\d UTC$`,
        'm',
      ),
    );
    // The holder renews its lease every 10 s; the waiting line is not repeated for each new end.
    await new Promise((r) => setTimeout(r, 11_000));
    expect(waiter.output().match(/^waiting for /gm)).toHaveLength(1);
    expect(waiter.child.exitCode).toBeNull();

    const killedAt = performance.now();
    holder.child.kill('SIGKILL');
    await holder.exited;
    release();
    const tookOverAt = await waiter.waitFor(
      new RegExp(`^took over held\\.lease\\.test from ${escapeRegExp(who)}, which no longer runs$`, 'm'),
    );
    const takeoverMs = Math.round(tookOverAt - killedAt);
    console.log(
      JSON.stringify({ figure: 'SIGKILLed lease holder taken over by the waiting renew', ms: takeoverMs }),
    );
    expect(takeoverMs).toBeLessThan(2000);
    expect(await waiter.exited, waiter.output()).toBe(4);
    expect(waiter.output()).toMatch(/^held\.lease\.test: issued/m);
    // The waiter resumed the holder's order: one order at the CA in all.
    expect(ca.proxy.count('newOrder', 'POST')).toBe(1);
    expect(ca.proxy.count('finalize', 'POST')).toBe(1);
  }, 90_000);

  it('the next run after a SIGKILLed holder takes over within 2 s of the kill and says whose lease it was', async () => {
    const file = await config('killed.yaml', 'killed.lease.test');
    ca.proxy.clearLog();
    const { holder, release } = await holderInValidation(file, 'killed.lease.test');
    const who = `process ${holder.child.pid} on ${hostname()} (certkeeper renew)`;
    const killedAt = performance.now();
    holder.child.kill('SIGKILL');
    await holder.exited;
    release();
    const next = renew(file);
    const tookOverAt = await next.waitFor(
      new RegExp(`^took over killed\\.lease\\.test from ${escapeRegExp(who)}, which no longer runs$`, 'm'),
    );
    const takeoverMs = Math.round(tookOverAt - killedAt);
    console.log(
      JSON.stringify({
        figure: 'SIGKILLed lease holder taken over by the next renew (incl. its start)',
        ms: takeoverMs,
      }),
    );
    expect(takeoverMs).toBeLessThan(2000);
    expect(await next.exited, next.output()).toBe(4);
    expect(next.output()).not.toMatch(/^waiting for /m);
    expect(ca.proxy.count('newOrder', 'POST')).toBe(1);
  }, 90_000);

  it('the live view shows the wait in the block of the certificate, then whose lease it took over', async () => {
    const file = await config('live.yaml', 'live.lease.test');
    const { holder, release } = await holderInValidation(file, 'live.lease.test');
    const who = `process ${holder.child.pid} on ${hostname()} (certkeeper renew)`;
    await tmux(
      'new-session',
      '-d',
      '-s',
      'waiter',
      '-x',
      '200',
      '-y',
      '30',
      `cd ${dir} && ${process.execPath} ${cliPath} renew --config ${file}; echo "EXIT=$?"; sleep 600`,
    );
    const screen = async (predicate: (text: string) => boolean) => {
      for (let tries = 0; tries < 600; tries++) {
        const text = (await tmux('capture-pane', '-p', '-t', 'waiter')).stdout;
        if (predicate(text)) return text.split('\n').map((line) => line.trimEnd());
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(
        `the terminal never showed it:\n${(await tmux('capture-pane', '-p', '-t', 'waiter')).stdout}`,
      );
    };
    const waiting = await screen((text) => text.includes('waiting for'));
    expect(waiting).toContainEqual(
      expect.stringMatching(
        new RegExp(
          // The block's first line, its spinner turning, with how long it has waited so far.
          `^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] live\\.lease\\.test: waiting for ${escapeRegExp(who)}, which holds live\\.lease\\.test until \\d\\d:\\d\\d:\\d\\d UTC \\(\\d+ s\\)$`,
        ),
      ),
    );
    holder.child.kill('SIGKILL');
    await holder.exited;
    release();
    const done = await screen((text) => /EXIT=\d/.test(text));
    expect(done).toContain('EXIT=4');
    expect(done).toContain(`took over live.lease.test from ${who}, which no longer runs`);
    expect(done).toContainEqual(expect.stringMatching(/^✓ live\.lease\.test: issued/));
    expect(done.filter((line) => line.includes('waiting for'))).toEqual([]);
  }, 90_000);
});
