// The live progress view in a real terminal: the built binary runs inside tmux, and the test reads the rendered
// screen with capture-pane. dns-01 goes through the exec plugin, whose program only notes the TXT records; the
// test publishes them in pebble-challtestsrv (the DNS Pebble's VA and the propagation check both ask) once it
// has seen the view waiting for them — so the "propagation" step, with the nameserver's state, is on screen for
// as long as the test needs.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
  cliPath,
  ensureCliBuilt,
  removeWorkdirs,
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
const screen = async () => (await tmux('capture-pane', '-p', '-t', session)).stdout;

async function waitForScreen(predicate: (text: string) => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await screen();
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
    caConfig(ca, './data', `${dns.solverYaml}certificates:\n  - names: [tty.test, '*.tty.test']\n`),
  );
}, 120_000);

afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  await ca?.close();
  await removeWorkdirs();
});

describe('the live progress view on a terminal', () => {
  it('redraws one block per certificate: steps, the nameserver still lacking the records, then the result', async () => {
    await tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '160',
      '-y',
      '40',
      `cd ${dir} && ${process.execPath} ${cliPath} renew; echo "EXIT=$?"; sleep 600`,
    );

    const waiting = await waitForScreen(
      (text) => text.includes('› propagation — Waiting for'),
      'the propagation step waiting for the nameservers',
    );
    const lines = waiting.split('\n').map((line) => line.trimEnd());
    const block = lines.slice(lines.findIndex((line) => line.startsWith('› tty.test, *.tty.test')));
    expect(block.slice(0, 8)).toEqual([
      '› tty.test, *.tty.test',
      '    ✓ order',
      '    ✓ responses published',
      '    › propagation — Waiting for 1 of 1 authoritative servers answers',
      `        fixed 127.0.0.1:${ca.pebble.dnsPort} answered NOERROR for _acme-challenge.tty.test, saw 0 of 1 expected values`,
      '    · validation',
      '    · finalize',
      '    · stored',
    ]);

    // Publish what the plugin was asked to publish; the next check passes and the order goes on.
    const presented = await dns.publish();
    // tty.test is answered by the http-01 responder (the first solver that fits); only the wildcard needs DNS.
    expect(presented.map((note) => note.fqdn)).toEqual(['_acme-challenge.tty.test.']);

    const done = await waitForScreen((text) => /EXIT=\d/.test(text), 'the command finishing');
    const final = done.split('\n').map((line) => line.trimEnd());
    expect(final).toContain('EXIT=4');
    const header = final.findIndex((line) => line.startsWith('✓ tty.test, *.tty.test: issued, valid until'));
    expect(header, done).toBeGreaterThanOrEqual(0);
    expect(final.slice(header + 1, header + 7)).toEqual([
      '    ✓ order',
      '    ✓ responses published',
      '    ✓ propagation',
      '    ✓ validation',
      '    ✓ finalize',
      '    ✓ stored',
    ]);
    // Redrawn in place: the block is on screen once, not once per step.
    expect(final.filter((line) => line.includes('order')).length).toBe(1);
    expect(final.some((line) => line.includes('›'))).toBe(false);
  });
});
