// `certkeeper run`: the daemon issues what is configured, serves /healthz and /metrics, and on SIGTERM in the
// middle of an order exits 0 with the order stored, so the next run resumes it without a second newOrder.
import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCertificate } from '@certkeeper/core';
import { faults } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
  ensureCliBuilt,
  freePort,
  removeWorkdirs,
  runCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';
import { startDaemon } from './support/daemon-process.js';

let dir: string;
let ca: TestCa;
const children: ChildProcess[] = [];

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('daemon');
  ca = await startTestCa(dir);
}, 120_000);
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await ca?.close();
  await removeWorkdirs();
});

function daemon(config: string) {
  const run = startDaemon(['--config', config], { cwd: dir });
  children.push(run.child);
  return run;
}

describe('certkeeper run', () => {
  it('issues the configured certificates, serves /healthz and /metrics, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    await writeFile(
      join(dir, 'daemon.yaml'),
      caConfig(
        ca,
        './data-daemon',
        `certificates:\n  - names: [daemon.test, www.daemon.test]\ndaemon:\n  listen: 127.0.0.1:${port}\n`,
      ),
    );
    const run = daemon('daemon.yaml');
    await run.waitFor(new RegExp(`/metrics and /healthz on 127\\.0\\.0\\.1:${port}`));
    await run.waitFor(/^\S+Z daemon\.test, www\.daemon\.test: issued, valid until/m);
    // /healthz reports the sweep once it has ended (its summary line), with the time of the next.
    await run.waitFor(/sweep: 1 certificate, 1 issued; next sweep at/);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', running: true, failing: [], deferred: [] });
    expect(Date.parse(body.nextSweepAt as string)).toBeGreaterThan(Date.now());

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/certkeeper_ensure_outcomes_total\{outcome="issued"\} 1/);
    expect(metrics).toMatch(
      /certkeeper_certificate_expiry_seconds\{certificate="daemon\.test,www\.daemon\.test"\} \d+/,
    );
    expect(metrics).toMatch(/certkeeper_certificates\{state="valid"\} 1/);
    expect(metrics).toMatch(/certkeeper_certificates\{state="failing"\} 0/);
    expect(metrics).toMatch(
      /certkeeper_certificate_next_renewal_seconds\{certificate="daemon\.test,www\.daemon\.test"\} \d+/,
    );
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);

    const stopAt = performance.now();
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    const stopMs = Math.round(performance.now() - stopAt);
    expect(run.output()).toContain('certkeeper daemon stopped');
    expect(stopMs).toBeLessThan(5000);
    console.log(JSON.stringify({ figure: 'certkeeper run: SIGTERM to exit, idle daemon', ms: stopMs }));
  });

  it('SIGTERM during an order exits 0 with the order stored; the next renew resumes it without a new order', async () => {
    await writeFile(
      join(dir, 'interrupted.yaml'),
      caConfig(
        ca,
        './data-interrupted',
        'certificates:\n  - names: [slow.daemon.test]\ndaemon:\n  listen: "off"\n',
      ),
    );
    // The challenge answer never reaches the CA (the proxy holds it unanswered): the daemon is inside the validation
    // step when stopped, and Pebble cannot start validating against a responder that is gone — on a loaded machine a
    // delayed answer reached Pebble before the resuming `renew` had its responder up.
    const rule = ca.proxy.addRule({
      kind: 'challenge',
      method: 'POST',
      times: 1,
      action: faults.respond(() => new Promise(() => {})),
    });
    const run = daemon('interrupted.yaml');
    await run.waitFor(/^\S+Z slow\.daemon\.test: validation$/m);
    await new Promise((r) => setTimeout(r, 300));
    const stopAt = performance.now();
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    const stopMs = Math.round(performance.now() - stopAt);
    rule.remove();
    expect(run.output()).toContain('SIGTERM: stopping');
    expect(run.output()).not.toMatch(/slow\.daemon\.test: (issued|failed)/);
    expect(stopMs).toBeLessThan(3000);
    console.log(JSON.stringify({ figure: 'certkeeper run: SIGTERM to exit, mid-order', ms: stopMs }));

    const status = await runCli(['status', '--wide', '--config', 'interrupted.yaml'], { cwd: dir });
    expect(status.stdout).toMatch(/order in flight at step (answer-challenges|await-validation)/);

    ca.proxy.clearLog();
    const resumed = await runCli(['renew', '--config', 'interrupted.yaml'], { cwd: dir });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(4);
    expect(resumed.stdout).toMatch(/^slow\.daemon\.test: issued/m);
    expect(ca.proxy.count('newOrder', 'POST')).toBe(0);
    expect(ca.proxy.count('finalize', 'POST')).toBe(1);
  });

  it('the status page lists every CA and account in the store, like `certkeeper status`', async () => {
    const port = await freePort();
    await writeFile(
      join(dir, 'page.yaml'),
      caConfig(
        ca,
        './data-page',
        `certificates:\n  - names: [page.daemon.test]\ndaemon:\n  listen: 127.0.0.1:${port}\n`,
      ),
    );
    // The same Pebble reached without the proxy: another directory URL, so another CA in the same store.
    await writeFile(join(dir, 'page-second-ca.pem'), ca.pebble.caBundlePem);
    await writeFile(
      join(dir, 'page-second.yaml'),
      `ca:\n  directory: ${ca.pebble.directoryUrl}\n  caBundle: ./page-second-ca.pem\naccount:\n  email: ops@example.test\n  agreeTos: true\nstore:\n  directory: ./data-page\nsolvers:\n  - type: http-01-standalone\n    listen: 127.0.0.1:${ca.httpPort}\n`,
    );
    const other = await runCli(['issue', '--config', 'page-second.yaml', 'other-ca.daemon.test'], {
      cwd: dir,
    });
    expect(other.code, other.stdout + other.stderr).toBe(0);

    const run = daemon('page.yaml');
    await run.waitFor(/sweep: 1 certificate, 1 issued; next sweep at/, 60_000);
    const document = (await (await fetch(`http://127.0.0.1:${port}/api/status`)).json()) as {
      directoryUrl: string;
      certificates: { identifiers: string[]; directoryUrl?: string; configured: boolean }[];
    };
    expect(document.directoryUrl).toBe(ca.proxy.directoryUrl);
    const rows = document.certificates.map((c) => [c.identifiers.join(','), c.directoryUrl, c.configured]);
    expect(rows).toEqual([
      ['page.daemon.test', ca.proxy.directoryUrl, true],
      ['other-ca.daemon.test', ca.pebble.directoryUrl, false],
    ]);
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('after renewing, the daemon wakes at the certificate’s renewBefore, not only at the CA’s window', async () => {
    const config = (renewBefore: string) =>
      caConfig(
        ca,
        './data-wake',
        `certificates:\n  - names: [wake.daemon.test]\n    renewBefore: ${renewBefore}\n    output: ./out/wake\ndaemon:\n  listen: "off"\n`,
      );
    await writeFile(join(dir, 'wake.yaml'), config('1d'));
    const first = await runCli(['renew', '--config', 'wake.yaml'], { cwd: dir });
    expect(first.code, first.stdout + first.stderr).toBe(4);
    const issued = parseCertificate(await readFile(join(dir, 'out/wake/cert.pem'), 'utf8'));
    const lifetimeSeconds = (issued.notAfter.getTime() - issued.notBefore.getTime()) / 1000;
    // Due 5 seconds after each certificate's notBefore: the daemon must come back for every new one by itself.
    await writeFile(join(dir, 'wake.yaml'), config(String(Math.floor(lifetimeSeconds) - 5)));
    const run = daemon('wake.yaml');
    await run.waitFor(/wake\.daemon\.test: renewed[\s\S]*wake\.daemon\.test: renewed/, 60_000);
    const summaries = [...run.output().matchAll(/sweep: 1 certificate, 1 renewed; next sweep at (\S+)Z/g)];
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    // The next sweep after a renewal is the new certificate's renewBefore time: seconds away, not the ARI window's.
    expect(Date.parse(`${summaries[0]![1]}Z`) - Date.now()).toBeLessThan(60_000);
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('SIGHUP reloads the configuration, keeps the old one when the new does not load; one log line per change', async () => {
    const config = join(dir, 'reload.yaml');
    const configured = (names: string) =>
      caConfig(ca, './data-reload', `certificates:\n${names}daemon:\n  listen: "off"\n`);
    await writeFile(config, configured('  - names: [one.reload.test]\n'));
    const run = daemon('reload.yaml');
    await run.waitFor(/^\S+Z sweep: 1 certificate, 1 issued; next sweep at \S+Z$/m, 60_000);
    // Every line of the daemon's log starts with the UTC time.
    for (const line of run.output().trim().split('\n'))
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /);

    await writeFile(config, 'certificates: [unclosed\n');
    run.child.kill('SIGHUP');
    await run.waitFor(
      /SIGHUP: the configuration was not reloaded, the previous one stays in use: [\s\S]*?reload\.yaml:2:1: not valid YAML/,
    );
    // Still running the previous configuration: its sweep found the certificate fresh.
    await run.waitFor(/^\S+Z one\.reload\.test: fresh, /m);
    await run.waitFor(/sweep: 1 certificate, 1 fresh;/);

    await writeFile(config, configured('  - names: [one.reload.test]\n  - names: [two.reload.test]\n'));
    run.child.kill('SIGHUP');
    await run.waitFor(/SIGHUP: configuration reloaded from \S*reload\.yaml: 2 certificates configured/);
    await run.waitFor(/^\S+Z two\.reload\.test: issued, valid until/m, 60_000);
    await run.waitFor(/sweep: 2 certificates, 1 fresh, 1 issued;/);

    // Another reload and sweep with nothing changed: the summary line only, no certificate line again.
    run.child.kill('SIGHUP');
    await run.waitFor(/configuration reloaded[\s\S]*configuration reloaded/);
    await run.waitFor(/sweep: 2 certificates, 2 fresh;/);
    expect(run.output().match(/one\.reload\.test: fresh/g)).toHaveLength(1);
    expect(run.output().match(/two\.reload\.test: fresh/g)).toHaveLength(1);

    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });
});
