// The live progress view in a real terminal, 80 columns wide, drawn from the top row: the built binary runs inside
// tmux, and the test reads the rendered screen with capture-pane — and the whole scrollback with `capture-pane -S -`,
// which must hold each finished block once and nothing of the frames redrawn before (an erase from the top row is
// a clear-screen, which tmux copies into its history). Two certificates: plain.test over http-01, and
// tty.test + *.tty.test whose wildcard goes through dns-01 with the exec plugin, whose program only notes the TXT
// records; the test publishes them in pebble-challtestsrv (the DNS Pebble's VA and the propagation check both ask)
// once it has seen the view waiting for them — so the "propagation" step, with the nameserver's state and its
// elapsed time, is on screen for as long as the test needs.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { faults } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
  cliPath,
  ensureCliBuilt,
  explain,
  removeWorkdirs,
  runCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';
import { type NotedDns01, notedDns01 } from './support/noted-dns01.js';

const run = promisify(execFile);
const socket = `certkeeper-cli-test-${process.pid}`;
const session = 'progress';
let dir: string;
let ca: TestCa;
let dns: NotedDns01;

const tmux = (...args: string[]) => run('tmux', ['-L', socket, ...args]);
const screen = async (name = session) => (await tmux('capture-pane', '-p', '-t', name)).stdout;
/** The scrollback and the screen, as lines. */
const history = async (name = session) =>
  (await tmux('capture-pane', '-p', '-S', '-', '-t', name)).stdout.split('\n').map((line) => line.trimEnd());
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

/** `renew` in a new tmux session `name`, 80 columns by 24 rows: the view's first line is the pane's top row. */
async function renewInTmux(name: string, ...args: string[]) {
  await tmux(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '80',
    '-y',
    '24',
    `cd ${dir} && ${process.execPath} ${cliPath} renew ${args.join(' ')}; echo "EXIT=$?"; sleep 600`,
  );
}

async function waitForScreen(predicate: (text: string) => boolean, what: string, name = session) {
  const deadline = Date.now() + 30_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await screen(name);
    if (predicate(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the terminal never showed ${what}; it shows:\n${text}`);
}

beforeAll(async () => {
  await run('tmux', ['-V']).catch(() => {
    throw new Error('The terminal test needs tmux: apt-get install -y tmux (scripts/setup.sh installs it).');
  });
  await ensureCliBuilt();
  dir = await workdir('terminal');
  ca = await startTestCa(dir);
  dns = await notedDns01(dir, ca, 'tty.test');
  await writeFile(
    join(dir, 'certkeeper.yaml'),
    caConfig(
      ca,
      './data',
      `${dns.solverYaml}certificates:\n  - names: [plain.test]\n  - names: [tty.test, '*.tty.test']\n`,
    ),
  );
  // Registered beforehand, so `renew` prints nothing before its view: the view starts on the top row.
  const registered = await runCli(['account', 'register'], { cwd: dir });
  expect(registered.code, explain(registered)).toBe(0);
}, 120_000);

afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  await ca?.close();
  await removeWorkdirs();
});

describe('the live progress view on a terminal', () => {
  it('at 80 columns from the top row: a block per certificate, elapsed time, then one final block each in the scrollback', async () => {
    await renewInTmux(session);

    const waiting = await waitForScreen(
      (text) => text.includes('› propagation — waiting for'),
      'the propagation step waiting for the nameservers',
    );
    const lines = waiting.split('\n').map((line) => line.trimEnd());
    // The view's first line is the screen's: every redraw moves up to the top row.
    expect(lines[0], waiting).toMatch(/^(✓ plain\.test: issued|[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] (plain\.test|tty\.test))/);
    const top = lines.findIndex((line) => line.endsWith(' tty.test, *.tty.test'));
    expect(lines[top], waiting).toMatch(SPINNER);
    expect(lines.slice(top + 1, top + 9), waiting).toEqual([
      '    ✓ order',
      '    ✓ responses published',
      '    › propagation — waiting for 1 of 1 authoritative nameservers to serve the',
      expect.stringMatching(/^ {8}record \(\d+ s\)$/),
      `        the configured nameserver 127.0.0.1:${ca.pebble.dnsPort} has 0 of 1 expected value at`,
      '          _acme-challenge.tty.test (answered NOERROR)',
      '    · validation',
      '    · finalize',
    ]);
    expect(lines.every((line) => [...line].length <= 80)).toBe(true);
    // The elapsed time counts on while nothing else happens.
    const seconds = (text: string) => Number(/record \((\d+) s\)/.exec(text)?.[1]);
    const before = seconds(waiting);
    const later = await waitForScreen((text) => seconds(text) >= before + 2, 'the elapsed time counting');
    expect(seconds(later)).toBeGreaterThanOrEqual(before + 2);

    // Publish what the plugin was asked to publish; the next check passes and the order goes on.
    const presented = await dns.publish();
    // tty.test is answered by the http-01 responder (the first solver that fits); only the wildcard needs DNS.
    expect(presented.map((note) => note.fqdn)).toEqual(['_acme-challenge.tty.test.']);

    const done = await waitForScreen((text) => /EXIT=\d/.test(text), 'the command finishing');
    expect(done).toContain('EXIT=4');
    const all = await history();
    const blockOf = (header: RegExp) => {
      const at = all.findIndex((line) => header.test(line));
      expect(at, all.join('\n')).toBeGreaterThanOrEqual(0);
      return all.slice(
        at + 1,
        all.findIndex((line, index) => index > at && !line.startsWith('    ')),
      );
    };
    // One final block per certificate (in the order they finished).
    const headers = all.filter((line) => /: issued, valid until/.test(line));
    expect(headers, all.join('\n')).toHaveLength(2);
    expect(headers.filter((line) => line.startsWith('✓ plain.test: issued, valid until '))).toHaveLength(1);
    expect(
      headers.filter((line) => line.startsWith('✓ tty.test, *.tty.test: issued, valid until ')),
    ).toHaveLength(1);
    expect(blockOf(/^✓ plain\.test: issued/)).toEqual([
      '    ✓ order',
      '    ✓ responses published',
      '    ✓ validation',
      '    ✓ finalize',
      '    ✓ stored',
    ]);
    expect(blockOf(/^✓ tty\.test, \*\.tty\.test: issued/)).toEqual([
      '    ✓ order',
      '    ✓ responses published',
      '    ✓ propagation',
      '    ✓ validation',
      '    ✓ finalize',
      '    ✓ stored',
    ]);
    // Nothing of the frames redrawn on the way: no running step, no spinner, no second checklist.
    expect(all.filter((line) => line === '    ✓ order')).toHaveLength(2);
    expect(
      all.filter((line) => line.includes('›') || SPINNER.test(line)),
      all.join('\n'),
    ).toEqual([]);
    expect(all.filter((line) => line.includes('waiting for'))).toEqual([]);
    expect(all.every((line) => [...line].length <= 80)).toBe(true);
  });

  it('shows a step retried after the CA answered 503: which attempt, after what, for how long', async () => {
    await writeFile(
      join(dir, 'retry.yaml'),
      caConfig(ca, './data', 'certificates:\n  - names: [retry.test]\n'),
    );
    // No Retry-After: the engine retries the step itself, after 1 s then 2 s.
    const rule = ca.proxy.addRule({ kind: 'finalize', times: 2, action: faults.serviceUnavailable() });
    await renewInTmux('retry', '--config', 'retry.yaml');
    try {
      const retrying = await waitForScreen(
        (text) => text.includes('trying again, attempt 3 of 4'),
        'the second retry of finalize',
        'retry',
      );
      const lines = retrying.split('\n').map((line) => line.trimEnd());
      const at = lines.findIndex((line) =>
        line.startsWith('    › finalize — the CA answered 503: service busy'),
      );
      expect(at, retrying).toBeGreaterThan(0);
      expect(
        lines
          .slice(at, at + 3)
          .join(' ')
          .replace(/\s+/g, ' '),
        retrying,
      ).toMatch(
        /the CA answered 503: service busy, retry later \(injected by the fault proxy\); trying again, attempt 3 of 4 \(\d+ s\)/,
      );
      const done = await waitForScreen((text) => /EXIT=\d/.test(text), 'the command finishing', 'retry');
      expect(done).toContain('EXIT=4');
      expect(done).toMatch(/^✓ retry\.test: issued, valid until/m);
      expect(done).not.toContain('trying again');
    } finally {
      rule.remove();
    }
  });

  it('prints a failure once, below its block, with nothing of it inside the checklist', async () => {
    await writeFile(
      join(dir, 'fail.yaml'),
      caConfig(ca, './data', 'certificates:\n  - names: [fail.test]\n'),
    );
    const rule = ca.proxy.addRule({
      kind: 'finalize',
      times: 1,
      action: faults.problem(
        400,
        'badCSR',
        'the CSR names a key the CA refuses (injected by the fault proxy)',
      ),
    });
    await renewInTmux('fail', '--config', 'fail.yaml');
    try {
      await waitForScreen((text) => /EXIT=\d/.test(text), 'the command finishing', 'fail');
      const all = await history('fail');
      const header = all.indexOf('✗ fail.test: failed');
      expect(header, all.join('\n')).toBeGreaterThanOrEqual(0);
      expect(all.slice(header + 1, header + 6)).toEqual([
        '    ✓ order',
        '    ✓ responses published',
        '    ✓ validation',
        '    ✗ finalize',
        '    · stored',
      ]);
      // The CA's answer once in the whole scrollback, right below the block.
      expect(all.filter((line) => line.includes('badCSR'))).toHaveLength(1);
      expect(all[header + 6]).toMatch(/^ {2}failed \(the CA's answer, 1 in a row\), next attempt after/);
      expect(all.slice(header + 6, header + 10).join(' ')).toContain('badCSR');
      expect(all.filter((line) => /^\s*Next:/.test(line)).length).toBeLessThanOrEqual(1);
    } finally {
      rule.remove();
    }
  });
});
