// Ctrl-C and SIGTERM during `renew`/`issue` are a path of their own: the run stops at the next safe point with its
// order stored and its lease released, the terminal is restored (cursor visible), one line says what was kept, the
// exit code is 130/143 — and the next run finishes the same order without placing another. The challenge answer is
// held unanswered at the fault proxy (as in daemon.test.ts), so the run is inside validation when it is stopped.
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { faults } from '@certkeeper/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  caConfig,
  cliPath,
  ensureCliBuilt,
  explain,
  jsonLines,
  removeWorkdirs,
  runCli,
  spawnCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

const run = promisify(execFile);
const socket = `certkeeper-cli-interrupt-${process.pid}`;
let dir: string;
let ca: TestCa;

const tmux = (...args: string[]) => run('tmux', ['-L', socket, ...args]);
const screen = async (session: string) => (await tmux('capture-pane', '-p', '-t', session)).stdout;
/** The scrollback and the screen, as lines. */
const history = async (session: string) =>
  (await tmux('capture-pane', '-p', '-S', '-', '-t', session)).stdout
    .split('\n')
    .map((line) => line.trimEnd());
const cursorVisible = async (session: string) =>
  (await tmux('display-message', '-p', '-t', session, '#{cursor_flag}')).stdout.trim() === '1';

async function waitForScreen(session: string, predicate: (text: string) => boolean, what: string) {
  const deadline = Date.now() + 30_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await screen(session);
    if (predicate(text)) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the terminal never showed ${what}; it shows:\n${text}`);
}

/** The challenge POST never reaches Pebble: the run waits in validation until it is stopped. */
function holdChallengeAnswer() {
  return ca.proxy.addRule({
    kind: 'challenge',
    method: 'POST',
    times: 1,
    action: faults.respond(() => new Promise(() => {})),
  });
}

async function config(name: string, names: string) {
  await writeFile(
    join(dir, `${name}.yaml`),
    caConfig(ca, `./data-${name}`, `certificates:\n  - names: [${names}]\n`),
  );
  return `${name}.yaml`;
}

/** The next run finishes the stored order: issued, no second newOrder, one finalize. */
async function expectResumedWithoutNewOrder(configFile: string, name: string) {
  ca.proxy.clearLog();
  const resumed = await runCli(['renew', '--config', configFile], { cwd: dir });
  expect(resumed.code, explain(resumed)).toBe(4);
  expect(resumed.stdout).toMatch(new RegExp(`^${name.replaceAll('.', '\\.')}: issued`, 'm'));
  expect(ca.proxy.count('newOrder', 'POST')).toBe(0);
  expect(ca.proxy.count('finalize', 'POST')).toBe(1);
  return resumed;
}

beforeAll(async () => {
  await run('tmux', ['-V']).catch(() => {
    throw new Error('The terminal test needs tmux: apt-get install -y tmux (scripts/setup.sh installs it).');
  });
  await ensureCliBuilt();
  dir = await workdir('interrupt');
  ca = await startTestCa(dir);
}, 120_000);
afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  await ca?.close();
  await removeWorkdirs();
});
beforeEach(() => ca.proxy.clearLog());

describe('Ctrl-C in a terminal', () => {
  it('during validation: exits 130 within 5 s, cursor visible, one line; the next run resumes with no second order', async () => {
    const file = await config('tty', 'ctrlc.test');
    // Registered beforehand, so `renew` prints nothing before its view: the view starts on the top row.
    const registered = await runCli(['account', 'register', '--config', file], { cwd: dir });
    expect(registered.code, explain(registered)).toBe(0);
    const rule = holdChallengeAnswer();
    const session = 'ctrlc';
    // 80 columns, the view drawn from the top row: the scrollback must keep the stopped block once.
    await tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '80',
      '-y',
      '24',
      `cd ${dir} && ${process.execPath} ${cliPath} renew --config ${file}; echo "EXIT=$?"; sleep 600`,
    );
    const running = await waitForScreen(
      session,
      (text) => text.includes('› validation'),
      'the validation step running',
    );
    expect(running.split('\n')[0]).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] ctrlc\.test$/);
    // The live view hides the cursor while it redraws: the check below could fail.
    expect(await cursorVisible(session)).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    const pressedAt = performance.now();
    await tmux('send-keys', '-t', session, 'C-c');
    const done = await waitForScreen(session, (text) => /EXIT=\d+/.test(text), 'the command exiting');
    const exitMs = Math.round(performance.now() - pressedAt);
    rule.remove();
    console.log(JSON.stringify({ figure: 'Ctrl-C during validation to exit (tmux)', ms: exitMs }));
    expect(exitMs).toBeLessThan(5000);
    expect(done).toContain('EXIT=130');
    expect(await cursorVisible(session)).toBe(true);
    const lines = done.split('\n').map((line) => line.trimEnd());
    expect(lines.filter((line) => line.startsWith('interrupted'))).toEqual([
      'interrupted: the order for ctrlc.test is kept; `certkeeper renew` resumes it',
    ]);
    // The block stays as it stopped: validation marked as interrupted, nothing marked as failed or done after it.
    expect(lines).toContain('‖ ctrlc.test: interrupted');
    expect(lines).toContain('    ‖ validation');
    expect(done).not.toContain('✗');
    // The scrollback holds the stopped block once and nothing of the frames redrawn while it ran (no ^C either).
    const all = await history(session);
    expect(
      all.filter((line) => line.includes('ctrlc.test')),
      all.join('\n'),
    ).toEqual([
      '‖ ctrlc.test: interrupted',
      'interrupted: the order for ctrlc.test is kept; `certkeeper renew` resumes it',
    ]);
    expect(all.filter((line) => line === '    ✓ order')).toHaveLength(1);
    expect(
      all.filter((line) => /[›⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|\^C/.test(line)),
      all.join('\n'),
    ).toEqual([]);

    const resumed = await expectResumedWithoutNewOrder(file, 'ctrlc.test');
    // At once: no wait for a lease the interrupted run still held.
    expect(resumed.ms).toBeLessThan(15_000);
    console.log(JSON.stringify({ figure: 'renew resuming the interrupted order', ms: resumed.ms }));
  });

  it('a second Ctrl-C while stopping exits at once, still restoring the cursor', async () => {
    // Stopping waits for a running deploy hook (the certificate is stored; the hook is the deployment's own
    // business). This one ignores SIGINT and sleeps, so the run is still stopping when the second Ctrl-C comes.
    await writeFile(join(dir, 'slow-hook.sh'), "#!/bin/sh\ntrap '' INT\nsleep 20\n", { mode: 0o755 });
    await writeFile(
      join(dir, 'twice.yaml'),
      caConfig(
        ca,
        './data-twice',
        `certificates:\n  - names: [twice.test]\n    deployHook: [${join(dir, 'slow-hook.sh')}]\n`,
      ),
    );
    const session = 'twice';
    await tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '160',
      '-y',
      '40',
      `cd ${dir} && ${process.execPath} ${cliPath} renew --config twice.yaml; echo "EXIT=$?"; sleep 600`,
    );
    await waitForScreen(session, (text) => text.includes('twice.test: issued'), 'the certificate issued');
    await new Promise((r) => setTimeout(r, 300));
    await tmux('send-keys', '-t', session, 'C-c');
    await new Promise((r) => setTimeout(r, 500));
    expect(await screen(session)).not.toMatch(/EXIT=/);
    const pressedAt = performance.now();
    await tmux('send-keys', '-t', session, 'C-c');
    const done = await waitForScreen(session, (text) => /EXIT=\d+/.test(text), 'the command exiting');
    expect(performance.now() - pressedAt).toBeLessThan(2000);
    expect(done).toContain('EXIT=130');
    expect(await cursorVisible(session)).toBe(true);
    expect(
      done.split('\n').filter((line) => line.startsWith('interrupted')),
      done,
    ).toEqual([expect.stringMatching(/^interrupted again \(SIGINT\): exited at once without waiting/)]);
  });
});

describe('SIGTERM without a terminal', () => {
  async function terminateDuringValidation(args: string[], waitFor: RegExp) {
    const rule = holdChallengeAnswer();
    const child = spawnCli(args, { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!waitFor.test(stdout)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`never reached validation:\n${stdout}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    const stopAt = performance.now();
    child.kill('SIGTERM');
    const code = await exited;
    rule.remove();
    return { code, stdout, stderr, ms: Math.round(performance.now() - stopAt) };
  }

  it('plain output: exit 143, the one line on stderr; the next renew resumes the order', async () => {
    const file = await config('plain', 'term.test');
    const stopped = await terminateDuringValidation(['renew', '--config', file], /^term\.test: validation$/m);
    expect(stopped.code, `${stopped.stdout}\n${stopped.stderr}`).toBe(143);
    expect(stopped.ms).toBeLessThan(5000);
    expect(stopped.stderr).toBe(
      'interrupted: the order for term.test is kept; `certkeeper renew` resumes it\n',
    );
    expect(stopped.stdout).not.toMatch(/term\.test: (issued|failed)|certificates?:/);
    // Released, not left to expire: no lease file names a holder any more (the files keep only the last token).
    const leases = join(dir, 'data-plain', 'leases');
    const files = await readdir(leases);
    expect(files.length).toBeGreaterThan(0);
    for (const name of files)
      expect(JSON.parse(await readFile(join(leases, name), 'utf8'))).not.toHaveProperty('holder');
    await expectResumedWithoutNewOrder(file, 'term.test');
  });

  it('--json: an `interrupted` event says what was kept; `issue` is resumed by running it again', async () => {
    const file = await config('json', 'json.term.test');
    const stopped = await terminateDuringValidation(
      ['issue', 'json.term.test', '--json', '--config', file],
      /"phase":"answer-challenges"/,
    );
    expect(stopped.code, `${stopped.stdout}\n${stopped.stderr}`).toBe(143);
    const events = jsonLines(stopped.stdout);
    expect(events.filter((event) => event.event === 'outcome')).toEqual([]);
    expect(events.at(-1)).toMatchObject({
      event: 'interrupted',
      signal: 'SIGTERM',
      names: ['json.term.test'],
      kept: 'order',
      exitCode: 143,
      message: 'interrupted: the order for json.term.test is kept; the same `certkeeper issue` resumes it',
    });
    expect(stopped.stderr).toBe('');
    ca.proxy.clearLog();
    const again = await runCli(['issue', 'json.term.test', '--config', file], { cwd: dir });
    expect(again.code, explain(again)).toBe(0);
    expect(ca.proxy.count('newOrder', 'POST')).toBe(0);
  });
});
