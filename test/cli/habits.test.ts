// The habits a certbot or lego user brings, through the built binary against Pebble: `renew <names…>` renews only
// the certificate for exactly those names, and an unknown set is refused before anything is sent to the CA;
// `renewBefore` (per certificate and as a default) moves the renewal time, and an earlier ARI window still wins.
import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseCertificate } from '@certkeeper/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
  cliPath,
  ensureCliBuilt,
  explain,
  removeWorkdirs,
  runCli,
  significantRequests,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';
import { startDaemon } from './support/daemon-process.js';

let dir: string;
let ca: TestCa;
const certkeeper = (...args: string[]) => runCli(args, { cwd: dir });
const orders = () => ca.proxy.log.filter((e) => e.kind === 'newOrder' && e.method === 'POST').length;

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('habits');
  ca = await startTestCa(dir);
  await writeFile(
    join(dir, 'certkeeper.yaml'),
    caConfig(
      ca,
      './data',
      `certificates:
  - names: [one.habit.test]
  - names: [two.habit.test, www.two.habit.test]
`,
    ),
  );
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

describe('renew <names…>', () => {
  it('renews only the certificate for exactly these names: configured, or made by issue', async () => {
    const first = await certkeeper('renew');
    expect(first.code, explain(first)).toBe(4);
    const issued = await certkeeper('issue', 'three.habit.test');
    expect(issued.code, explain(issued)).toBe(0);

    ca.proxy.clearLog();
    // Order and case of the names do not matter; only this set is touched.
    const two = await certkeeper('renew', '--force', 'WWW.two.habit.test', 'two.habit.test');
    expect(two.code, explain(two)).toBe(4);
    expect(two.stdout).toMatch(/^two\.habit\.test, www\.two\.habit\.test: renewed/m);
    expect(two.stdout).not.toContain('one.habit.test');
    expect(two.stdout).not.toContain('three.habit.test');
    expect(orders()).toBe(1);

    ca.proxy.clearLog();
    const three = await certkeeper('renew', '--force', 'three.habit.test');
    expect(three.code, explain(three)).toBe(4);
    expect(three.stdout).toMatch(/^three\.habit\.test: renewed/m);
    expect(orders()).toBe(1);

    // Without --force, a fresh one is a no-op that asks the CA nothing.
    ca.proxy.clearLog();
    const fresh = await certkeeper('renew', 'one.habit.test');
    expect(fresh.code, explain(fresh)).toBe(0);
    expect(fresh.stdout).toMatch(/^one\.habit\.test: fresh/m);
    expect(significantRequests(ca.proxy)).toEqual([]);
  }, 120_000);

  it('refuses a set no certificate has (a subset included) with exit 2, before asking the CA', async () => {
    ca.proxy.clearLog();
    for (const names of [['nope.habit.test'], ['two.habit.test']]) {
      const result = await certkeeper('renew', ...names);
      expect(result.code, explain(result)).toBe(2);
      expect(result.stderr).toContain(`No certificate for exactly ${names.join(', ')} is configured`);
      expect(result.stderr).toContain('certkeeper status');
    }
    expect(significantRequests(ca.proxy)).toEqual([]);
  }, 60_000);
});

interface StatusRow {
  readonly identifiers: readonly string[];
  readonly renewal?: { readonly at: string; readonly basis: string };
}

describe('renewBefore', () => {
  const DAY = 86_400_000;
  const rb = (...args: string[]) => certkeeper('-c', 'rb.yaml', ...args);
  const notAfterOf = async (name: string) =>
    parseCertificate(await readFile(join(dir, 'out', name, 'cert.pem'), 'utf8'));
  const writeRb = (sixty: string) =>
    writeFile(
      join(dir, 'rb.yaml'),
      caConfig(
        ca,
        './data-rb',
        `defaults:
  renewBefore: 80d
certificates:
  - names: [ari.rb.habit.test]
    renewBefore: 30d
    output: ./out/ari
  - names: [sixty.rb.habit.test]
    renewBefore: ${sixty}
    output: ./out/sixty
`,
      ),
    );

  it('a fresh certificate is fresh until renewBefore before expiry; an earlier ARI window renews it anyway', async () => {
    await writeRb('60d');
    const first = await rb('renew');
    expect(first.code, explain(first)).toBe(4);
    // The CA pulls ari.rb.habit.test's renewal forward (a revocation incident): ARI's earlier window wins over 30d.
    const window = { start: new Date(Date.now() - 3_600_000), end: new Date(Date.now() - 60_000) };
    await ca.pebble.setRenewalInfo(
      await readFile(join(dir, 'out/ari/cert.pem'), 'utf8'),
      JSON.stringify({
        suggestedWindow: { start: window.start.toISOString(), end: window.end.toISOString() },
      }),
    );
    ca.proxy.clearLog();
    const second = await rb('renew');
    expect(second.code, explain(second)).toBe(4);
    expect(second.stdout).toMatch(/^ari\.rb\.habit\.test: renewed/m);
    expect(orders()).toBe(1);
    const fresh = second.stdout.match(
      /^sixty\.rb\.habit\.test: fresh, until (\S+) \(renewBefore 60d before expiry[^)]*\); nothing to do$/m,
    );
    expect(fresh, explain(second)).not.toBeNull();
    const sixty = await notAfterOf('sixty');
    // 60 days before expiry, not the lifetime rule's 2/3 (30 days before expiry for Pebble's 90 days).
    expect(Date.parse(fresh![1]!)).toBe(sixty.notAfter.getTime() - 60 * DAY);
    // status shows the same next renewal, and why (the default 80d for a stored certificate of no entry too).
    const status = await rb('status', '--json');
    expect(status.code, explain(status)).toBe(0);
    const row = (JSON.parse(status.stdout) as { certificates: StatusRow[] }).certificates.find((c) =>
      c.identifiers.includes('sixty.rb.habit.test'),
    );
    expect(row?.renewal).toMatchObject({ basis: 'renew-before' });
    expect(Date.parse(row!.renewal!.at)).toBe(sixty.notAfter.getTime() - 60 * DAY);
  }, 120_000);

  it('defaults.renewBefore applies to a certificate made by issue', async () => {
    const issued = await rb('issue', 'dflt.rb.habit.test');
    expect(issued.code, explain(issued)).toBe(0);
    const again = await rb('renew', 'dflt.rb.habit.test');
    expect(again.code, explain(again)).toBe(0);
    expect(again.stdout).toMatch(/^dflt\.rb\.habit\.test: fresh, until \S+ \(renewBefore 80d before expiry/m);
  }, 60_000);

  it('renews once less than renewBefore remains, where the lifetime rule would call it fresh', async () => {
    const cert = await notAfterOf('sixty');
    const lifetimeSeconds = (cert.notAfter.getTime() - cert.notBefore.getTime()) / 1000;
    // In seconds: due two seconds after the certificate's notBefore.
    await writeRb(String(Math.floor(lifetimeSeconds) - 2));
    const wait = cert.notBefore.getTime() + 3000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    ca.proxy.clearLog();
    const renewed = await rb('renew', 'sixty.rb.habit.test');
    expect(renewed.code, explain(renewed)).toBe(4);
    expect(renewed.stdout).toMatch(/^sixty\.rb\.habit\.test: renewed/m);
    expect(orders()).toBe(1);
    expect((await notAfterOf('sixty')).serialNumberHex).not.toBe(cert.serialNumberHex);
  }, 60_000);

  it('refuses a renewBefore that is not a span, with its place in the file', async () => {
    await writeRb('soon');
    const result = await rb('renew');
    expect(result.code, explain(result)).toBe(2);
    expect(result.stderr).toMatch(/rb\.yaml:\d+:\d+.*renewBefore/);
    expect(result.stderr).toContain('30d, 12h, 90m, 45s');
  }, 30_000);
});

describe('--agree-tos', () => {
  const noTerms = (store: string) =>
    caConfig(ca, store, 'certificates:\n  - names: [tos.habit.test]\n').replace('  agreeTos: true\n', '');

  it('without it and without a terminal, a new account is refused: exit 2, the terms URL, the flag and the key', async () => {
    await writeFile(join(dir, 'tos.yaml'), noTerms('./data-tos'));
    ca.proxy.clearLog();
    for (const args of [['renew'], ['issue', 'tos.habit.test'], ['account', 'register']]) {
      const result = await certkeeper('-c', 'tos.yaml', ...args);
      expect(result.code, explain(result)).toBe(2);
      expect(result.stderr).toMatch(/terms of service, \S+ \(no --agree-tos, and no terminal to ask on\)/);
      expect(result.stderr).toContain('--agree-tos');
      expect(result.stderr).toContain('account.agreeTos: true');
      expect(result.stderr).toContain('CERTKEEPER_ERR_TERMS_NOT_AGREED');
    }
    // Only the directory was read: no account, no order.
    expect(significantRequests(ca.proxy)).toEqual([]);
  }, 60_000);

  it('with --agree-tos the account is registered and the terms URL printed once; an existing account asks nothing', async () => {
    const terms = (text: string) => text.match(/agreeing to the terms of service of \S+: \S+/g) ?? [];
    ca.proxy.clearLog();
    const issued = await certkeeper('-c', 'tos.yaml', '--agree-tos', 'renew');
    expect(issued.code, explain(issued)).toBe(4);
    expect(terms(issued.stdout + issued.stderr)).toHaveLength(1);
    expect(ca.proxy.count('newAccount', 'POST')).toBe(1);
    // The account is stored: no flag needed any more, and nothing said about the terms.
    const again = await certkeeper('-c', 'tos.yaml', 'issue', '--force', 'tos.habit.test');
    expect(again.code, explain(again)).toBe(0);
    expect(terms(again.stdout + again.stderr)).toEqual([]);
    expect(ca.proxy.count('newAccount', 'POST')).toBe(1);
  }, 60_000);

  it('on a terminal it asks, showing the terms URL: no refuses (exit 2), yes registers', async () => {
    await writeFile(join(dir, 'tty.yaml'), noTerms('./data-tty'));
    const tmux = (...args: string[]) =>
      promisify(execFile)('tmux', ['-L', `certkeeper-habits-${process.pid}`, ...args]);
    const screen = async () => (await tmux('capture-pane', '-p', '-t', 'tos')).stdout;
    const waitFor = async (pattern: RegExp) => {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
        const text = await screen();
        if (pattern.test(text)) return text;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`the terminal never showed ${pattern}:\n${await screen()}`);
    };
    const command = `cd ${dir} && ${process.execPath} ${cliPath} -c tty.yaml renew; echo "EXIT=$?"`;
    await tmux(
      'new-session',
      '-d',
      '-s',
      'tos',
      '-x',
      '160',
      '-y',
      '40',
      `${command}; ${command}; sleep 600`,
    );
    try {
      const asked = await waitFor(/Do you agree to them\? \[y\/N\]/);
      expect(asked).toMatch(/The CA's terms of service: \S+/);
      await tmux('send-keys', '-t', 'tos', 'n', 'Enter');
      const refused = await waitFor(/EXIT=\d+/);
      expect(refused).toContain('EXIT=2');
      expect(refused).toContain('you answered no');
      await waitFor(/EXIT=2[\s\S]*Do you agree to them\? \[y\/N\]/);
      await tmux('send-keys', '-t', 'tos', 'y', 'Enter');
      const done = await waitFor(/EXIT=2[\s\S]*EXIT=\d+/);
      expect(done.match(/EXIT=\d+/g)).toEqual(['EXIT=2', 'EXIT=4']);
    } finally {
      await tmux('kill-server').catch(() => undefined);
    }
  }, 90_000);
});

describe('--pre-hook / --post-hook', () => {
  // A "web server" holding the standalone responder's port, as nginx would hold :80: the pre-hook stops it, the
  // post-hook starts it again — without the pre-hook the responder could not bind.
  const hk = (...args: string[]) => certkeeper('-c', 'hk.yaml', ...args);
  const log = async () =>
    (await readFile(join(dir, 'hooks.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const webPid = async () => Number(await readFile(join(dir, 'web.pid'), 'utf8'));
  const webAnswers = async () => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      const body = await fetch(`http://127.0.0.1:${ca.httpPort}/`)
        .then((r) => r.text())
        .catch(() => '');
      if (body === 'web') return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  };

  beforeAll(async () => {
    await writeFile(
      join(dir, 'web.js'),
      `require('node:http').createServer((q, s) => s.end('web')).listen(${ca.httpPort}, '127.0.0.1', () => require('node:fs').writeFileSync('web.pid', String(process.pid)));\n`,
    );
    await writeFile(
      join(dir, 'stop-web.sh'),
      'echo "$1 $CERTKEEPER_HOOK" >> hooks.log; pid=$(cat web.pid); kill $pid; while kill -0 $pid 2>/dev/null; do sleep 0.1; done\n',
    );
    await writeFile(
      join(dir, 'start-web.sh'),
      `echo "$1 $CERTKEEPER_HOOK" >> hooks.log; ${process.execPath} web.js >/dev/null 2>&1 &\n`,
    );
    await writeFile(
      join(dir, 'hk.yaml'),
      caConfig(
        ca,
        './data-hk',
        `defaults:
  preHook: [sh, stop-web.sh, config]
  postHook: [sh, start-web.sh, config]
certificates:
  - names: [a.hk.habit.test]
  - names: [b.hk.habit.test]
`,
      ),
    );
    await promisify(execFile)('sh', ['start-web.sh', 'test'], { cwd: dir });
    expect(await webAnswers()).toBe(true);
  });
  afterAll(async () => {
    // The web server the test (or a post-hook) started, by its pid.
    const pid = await webPid().catch(() => 0);
    if (pid) process.kill(pid, 'SIGTERM');
  });

  it('run once around the orders of a renew: pre before the first, post after the last', async () => {
    const before = await webPid();
    const result = await hk('renew');
    expect(result.code, explain(result)).toBe(4);
    expect(result.stdout).toContain('2 certificates: 2 issued');
    expect(await log()).toEqual(['test ', 'config pre', 'config post']);
    expect(await webAnswers()).toBe(true);
    expect(await webPid()).not.toBe(before);
  }, 60_000);

  it('are not run when everything is fresh', async () => {
    const pid = await webPid();
    const result = await hk('renew');
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout).not.toContain('-hook');
    expect(await log()).toHaveLength(3);
    expect(await webPid()).toBe(pid);
  }, 30_000);

  it('the flags replace the config’s hooks, split like --deploy-hook; an operator is refused before anything runs', async () => {
    const result = await hk(
      'renew',
      '--force',
      '--pre-hook',
      "sh stop-web.sh 'flag given'",
      'a.hk.habit.test',
    );
    expect(result.code, explain(result)).toBe(4);
    expect((await log()).slice(3)).toEqual(['flag given pre', 'config post']);
    expect(await webAnswers()).toBe(true);

    ca.proxy.clearLog();
    const refused = await hk('renew', '--force', '--post-hook', 'sh start-web.sh | tee x');
    expect(refused.code, explain(refused)).toBe(2);
    expect(refused.stderr).toContain('--post-hook');
    expect(refused.stderr).toContain('needs a shell');
    expect(await log()).toHaveLength(5);
    expect(significantRequests(ca.proxy)).toEqual([]);
  }, 60_000);
});

describe('run --pre-hook / --post-hook', () => {
  it('the daemon runs them around a sweep that orders, not around one where all is fresh', async () => {
    await writeFile(
      join(dir, 'hkd.yaml'),
      caConfig(ca, './data-hkd', 'certificates:\n  - names: [d.hk.habit.test]\ndaemon:\n  listen: "off"\n'),
    );
    const log = async () =>
      (await readFile(join(dir, 'dhooks.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
    const hook = `sh -c 'echo "d-$CERTKEEPER_HOOK" >> dhooks.log'`;
    const daemon = startDaemon(['-c', 'hkd.yaml', '--pre-hook', hook, '--post-hook', hook], { cwd: dir });
    try {
      await daemon.waitFor(/sweep: 1 certificate, 1 issued/);
      expect(await log()).toEqual(['d-pre', 'd-post']);
      // A second sweep (SIGHUP reloads and sweeps at once): fresh, no hooks.
      daemon.child.kill('SIGHUP');
      await daemon.waitFor(/sweep: 1 certificate, 1 fresh/);
      expect(await log()).toEqual(['d-pre', 'd-post']);
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
  }, 60_000);
});

describe('--reuse-key', () => {
  const kr = (...args: string[]) => certkeeper('-c', 'kr.yaml', ...args);
  /** The public key of an output directory's privkey.pem, and its certificate's serial. */
  const served = async (name: string) => {
    const pem = await readFile(join(dir, 'out-kr', name, 'privkey.pem'), 'utf8');
    const cert = parseCertificate(await readFile(join(dir, 'out-kr', name, 'cert.pem'), 'utf8'));
    const key = createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
    return { key, serial: cert.serialNumberHex };
  };

  it('certificates[].reuseKey renews with the same key; others get a new one', async () => {
    await writeFile(
      join(dir, 'kr.yaml'),
      caConfig(
        ca,
        './data-kr',
        `certificates:
  - names: [keep.kr.habit.test]
    reuseKey: true
    output: ./out-kr/keep
  - names: [new.kr.habit.test]
    output: ./out-kr/new
`,
      ),
    );
    const first = await kr('renew');
    expect(first.code, explain(first)).toBe(4);
    const [keep, fresh] = [await served('keep'), await served('new')];
    const forced = await kr('renew', '--force');
    expect(forced.code, explain(forced)).toBe(4);
    const [keep2, fresh2] = [await served('keep'), await served('new')];
    expect(keep2.serial).not.toBe(keep.serial);
    expect(keep2.key).toBe(keep.key);
    expect(fresh2.serial).not.toBe(fresh.serial);
    expect(fresh2.key).not.toBe(fresh.key);
  }, 60_000);

  it('renew --reuse-key keeps the key for this run; issue --reuse-key is remembered for later renewals', async () => {
    const before = await served('new');
    const kept = await kr('renew', '--force', '--reuse-key', 'new.kr.habit.test');
    expect(kept.code, explain(kept)).toBe(4);
    const after = await served('new');
    expect(after.serial).not.toBe(before.serial);
    expect(after.key).toBe(before.key);

    const issued = await kr('issue', '--reuse-key', '--output', './out-kr/made', 'made.kr.habit.test');
    expect(issued.code, explain(issued)).toBe(0);
    const made = await served('made');
    const renewed = await kr('renew', '--force', 'made.kr.habit.test');
    expect(renewed.code, explain(renewed)).toBe(4);
    const made2 = await served('made');
    expect(made2.serial).not.toBe(made.serial);
    expect(made2.key).toBe(made.key);
  }, 60_000);
});
