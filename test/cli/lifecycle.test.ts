// The built `certkeeper` binary against Pebble: issue, renew (fresh no-op, then forced), deploy hooks and outputs,
// status, revoke, account rollover, and every exit code of `renew`.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { faults } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
  ensureCliBuilt,
  explain,
  jsonLines,
  removeWorkdirs,
  runCli,
  significantRequests,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

let dir: string;
let ca: TestCa;
const certkeeper = (...args: string[]) => runCli(args, { cwd: dir });

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('lifecycle');
  ca = await startTestCa(dir);
  await writeFile(
    join(dir, 'certkeeper.yaml'),
    caConfig(
      ca,
      './data',
      `certificates:
  - names: [www.life.test]
  - names: [life.test, api.life.test]
    keyType: ec384
    output: ./out/life
    deployHook: [sh, -c, 'env | grep ^CERTKEEPER_ | sort > hook-$CERTKEEPER_EVENT.env']
`,
    ),
  );
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

/** Pebble's own view of a certificate (its management API). */
function pebbleStatus(serialHex: string): Promise<{ Status: string; Reason?: number }> {
  return ca.pebble.certificateStatus(serialHex);
}

async function statusJson() {
  const result = await certkeeper('status', '--json');
  expect(result.code, explain(result)).toBe(0);
  return JSON.parse(result.stdout) as {
    accountUrl: string;
    certificates: {
      identifiers: string[];
      state: string;
      serialNumberHex?: string;
      issuer?: string;
      lastError?: { reason: string };
      backoff?: { until: string; rateLimited: boolean };
      budgets: { rule: string; remaining: number; limit: number }[];
    }[];
  };
}

describe('certkeeper renew, issue, status, revoke and account against Pebble', () => {
  it('renew issues every configured certificate: exit 4, outputs written, the deploy hook gets paths and names', async () => {
    const result = await certkeeper('renew');
    expect(result.code, explain(result)).toBe(4);
    expect(result.stdout).toMatch(/^www\.life\.test: issued, valid until \d{4}-\d\d-\d\d/m);
    expect(result.stdout).toMatch(/^life\.test, api\.life\.test: issued, valid until/m);
    expect(result.stdout).toContain('2 certificates: 2 issued (exit 4)');
    // Not a terminal: plain lines, one per step.
    expect(result.stdout).toMatch(/^www\.life\.test: validation/m);

    const out = join(dir, 'out/life');
    expect((await stat(join(out, 'privkey.pem'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(out, 'fullchain.pem'))).mode & 0o777).toBe(0o644);
    const fullchain = await readFile(join(out, 'fullchain.pem'), 'utf8');
    expect(fullchain.match(/BEGIN CERTIFICATE/g)?.length).toBeGreaterThanOrEqual(2);
    expect(await readFile(join(out, 'privkey.pem'), 'utf8')).toContain('BEGIN PRIVATE KEY');

    const hookEnv = await readFile(join(dir, 'hook-issued.env'), 'utf8');
    expect(hookEnv).toContain('CERTKEEPER_EVENT=issued');
    expect(hookEnv).toContain('CERTKEEPER_NAMES=life.test,api.life.test');
    expect(hookEnv).toContain('CERTKEEPER_PRIMARY_NAME=life.test');
    expect(hookEnv).toContain(`CERTKEEPER_FULLCHAIN=${join(out, 'fullchain.pem')}`);
    expect(hookEnv).toContain(`CERTKEEPER_PRIVKEY=${join(out, 'privkey.pem')}`);
    expect(hookEnv).toMatch(/CERTKEEPER_NOT_AFTER=\d{4}-/);
    expect(hookEnv).toMatch(/CERTKEEPER_SERIAL=[0-9a-f]+/);
  });

  it('renew again is a fresh no-op: exit 0, says until when, and sends the CA no request that costs anything', async () => {
    ca.proxy.clearLog();
    const result = await certkeeper('renew');
    expect(result.code, explain(result)).toBe(0);
    // Pebble 2.10 speaks ARI: the first fresh check learns each certificate's window (about two thirds into its life).
    expect(result.stdout).toMatch(
      /^www\.life\.test: fresh, until \d{4}-\S+ \(ARI window \d{4}-\S+ – \d{4}-\S+\); nothing to do$/m,
    );
    expect(result.stdout).toContain('2 certificates: 2 fresh (exit 0)');
    expect(significantRequests(ca.proxy)).toEqual([]);
    // GETs only: at most the directory, and one renewalInfo per certificate (then not again for hours).
    expect(ca.proxy.count('renewalInfo', 'GET')).toBe(2);
    expect(ca.proxy.log.length).toBeLessThanOrEqual(3);
    console.log(
      JSON.stringify({
        figure: 'certkeeper renew, fresh no-op, cold process (2 certificates)',
        ms: result.ms,
      }),
    );
  });

  it('renew --force renews both (exit 4), with the hook told it was a renewal; JSON lines with --json', async () => {
    const before = await statusJson();
    const result = await certkeeper('renew', '--force', '--json');
    expect(result.code, explain(result)).toBe(4);
    const events = jsonLines(result.stdout);
    const outcomes = events.filter((e) => e.event === 'outcome');
    expect(outcomes.map((o) => o.type)).toEqual(['renewed', 'renewed']);
    expect(events.filter((e) => e.event === 'progress').map((e) => e.phase)).toEqual(
      // Pebble hands back the still-valid authorizations, so nothing is published or validated this time.
      expect.arrayContaining(['fetch-authorizations', 'finalize', 'download', 'done']),
    );
    expect(events.at(-1)).toMatchObject({ event: 'summary', exitCode: 4, counts: { renewed: 2 } });
    const hookEnv = await readFile(join(dir, 'hook-renewed.env'), 'utf8');
    expect(hookEnv).toContain('CERTKEEPER_EVENT=renewed');
    const after = await statusJson();
    expect(after.certificates[0]!.serialNumberHex).not.toBe(before.certificates[0]!.serialNumberHex);
  });

  it('status shows names, issuer, expiry, the next renewal and why, and the rate-limit budget left', async () => {
    const result = await certkeeper('status', '--wide');
    expect(result.code, explain(result)).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`CA ${ca.proxy.directoryUrl}`);
    const header = lines.find((line) => line.startsWith('NAMES'))!;
    for (const column of ['STATE', 'ISSUER', 'EXPIRES', 'NEXT RENEWAL', 'WHY', 'RATE-LIMIT BUDGET'])
      expect(header).toContain(column);
    const row = lines.find((line) => line.startsWith('life.test, api.life.test'))!;
    expect(row).toMatch(
      / valid +Pebble Intermediate CA \w+ +\d{4}-\d\d-\d\d \d\d:\d\dZ +\d{4}-\d\d-\d\d \d\d:\d\dZ \(in \d+ d\)/,
    );
    expect(row).toMatch(/2\/3 of the [\d.]+-day lifetime/);
    // Issued, then renewed (forced, so before the ARI window: not exempt, though sent with `replaces`): two of the
    // five certificates per exact set per week are spent.
    expect(row).toContain('set 3/5');
    const json = await statusJson();
    expect(json.certificates.map((c) => c.identifiers)).toEqual([
      ['www.life.test'],
      ['life.test', 'api.life.test'],
    ]);
    expect(json.certificates[0]!.budgets).toContainEqual(
      expect.objectContaining({ rule: 'certificatesPerExactSet', remaining: 3, limit: 5 }),
    );
  });

  it('issue with --output and --deploy-hook: one certificate for all the names, exit 0; again: kept fresh', async () => {
    const result = await certkeeper(
      'issue',
      'one.life.test',
      'two.life.test',
      '--output',
      'out/one',
      '--deploy-hook',
      // Split like a shell would (quotes honoured), run without one: sh here is the program the user chose.
      `sh -c 'echo "$CERTKEEPER_EVENT" >> deployed-one'`,
    );
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout).toMatch(/^one\.life\.test, two\.life\.test: issued/m);
    expect((await stat(join(dir, 'out/one/privkey.pem'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'deployed-one'), 'utf8')).toBe('issued\n');
    ca.proxy.clearLog();
    const again = await certkeeper('issue', 'two.life.test', 'ONE.life.test');
    expect(again.code, explain(again)).toBe(0);
    expect(again.stdout).toMatch(/fresh, until/);
    expect(significantRequests(ca.proxy)).toEqual([]);
  });

  it('issue with flags only (no config file): --ca, --ca-bundle, --http-listen, --data-dir, --email', async () => {
    const bare = join(dir, 'no-config');
    await mkdir(bare);
    const args = ['--ca', ca.proxy.directoryUrl, '--ca-bundle', ca.caBundleFile, '--data-dir', 'store'];
    const result = await runCli(
      [
        'issue',
        ...args,
        '--http-listen',
        `127.0.0.1:${ca.httpPort}`,
        '--email',
        'a@example.test',
        '--agree-tos',
        'flags.life.test',
      ],
      { cwd: bare },
    );
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout).toMatch(/^flags\.life\.test: issued/m);
    const account = await runCli(['account', 'show', '--local', '--json', ...args], { cwd: bare });
    expect(JSON.parse(account.stdout)).toMatchObject({
      contact: ['mailto:a@example.test'],
      keyAlgorithm: 'ES256',
    });
  });

  it('revoke: the CA revokes it, status says so, and the next renew replaces it', async () => {
    const serial = (await statusJson()).certificates.find((c) => c.identifiers[0] === 'www.life.test')!
      .serialNumberHex!;
    const result = await certkeeper('revoke', 'www.life.test', '--reason', 'superseded');
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout).toContain(`revoked www.life.test (serial ${serial}, reason superseded)`);
    expect(await pebbleStatus(serial)).toMatchObject({ Status: 'Revoked', Reason: 4 });
    expect((await statusJson()).certificates.find((c) => c.serialNumberHex === serial)?.state).toBe(
      'revoked',
    );

    const again = await certkeeper('revoke', 'www.life.test');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already revoked');

    const renew = await certkeeper('renew');
    expect(renew.code, explain(renew)).toBe(4);
    expect(renew.stdout).toMatch(/^www\.life\.test: renewed/m);
    expect(renew.stdout).toMatch(/^life\.test, api\.life\.test: fresh/m);
  });

  it('account show, then rollover: the CA gets a keyChange and later orders are signed with the new key', async () => {
    const shown = await certkeeper('account', 'show', '--json');
    expect(shown.code, explain(shown)).toBe(0);
    const before = JSON.parse(shown.stdout) as { status: string; keyThumbprint: string; accountUrl: string };
    expect(before.status).toBe('valid');
    expect(JSON.stringify(before)).not.toMatch(/PRIVATE KEY/);

    ca.proxy.clearLog();
    const rolled = await certkeeper('account', 'rollover');
    expect(rolled.code, explain(rolled)).toBe(0);
    expect(ca.proxy.count('keyChange', 'POST')).toBe(1);
    const after = JSON.parse((await certkeeper('account', 'show', '--json')).stdout) as typeof before;
    expect(after.accountUrl).toBe(before.accountUrl);
    expect(after.keyThumbprint).not.toBe(before.keyThumbprint);
    expect(after.status).toBe('valid');

    const forced = await certkeeper('issue', '--force', 'www.life.test');
    expect(forced.code, explain(forced)).toBe(0);
    expect(forced.stdout).toMatch(/renewed/);
  });

  it('renew exits 3 when the CA rate-limits (deferred), and status shows the backoff until the CA’s time', async () => {
    const rule = ca.proxy.addRule({
      kind: 'newOrder',
      times: 1,
      action: faults.rateLimited({
        retryAfter: 3600,
        detail:
          'too many certificates (5) already issued for this exact set of identifiers in the last 168h0m0s',
      }),
    });
    const result = await certkeeper('issue', '--force', 'api.life.test', 'life.test');
    rule.remove();
    expect(result.code, explain(result)).toBe(3);
    expect(result.stdout).toMatch(/deferred until/);
    const row = (await statusJson()).certificates.find((c) => c.identifiers.includes('api.life.test'))!;
    expect(row.backoff?.rateLimited).toBe(true);
    expect(Date.parse(row.backoff!.until) - Date.now()).toBeGreaterThan(3_000_000);
    // Deferred stays deferred, without asking the CA, until that time; the others are renewed.
    ca.proxy.clearLog();
    const again = await certkeeper('renew', '--force', '--json');
    expect(again.code, explain(again)).toBe(3);
    const outcomes = jsonLines(again.stdout).filter((e) => e.event === 'outcome');
    expect(outcomes.find((o) => (o.names as string[]).includes('api.life.test'))?.type).toBe('deferred');
    const renewed = outcomes.filter((o) => o.type === 'renewed').length;
    expect(renewed).toBeGreaterThan(0);
    expect(ca.proxy.count('newOrder', 'POST')).toBe(renewed);
  });

  it('renew exits 1 when an order fails, and status shows the last error', async () => {
    await writeFile(
      join(dir, 'failing.yaml'),
      caConfig(ca, './data', 'certificates:\n  - names: [fail.life.test]\n'),
    );
    const rule = ca.proxy.addRule({
      kind: 'newOrder',
      times: 1,
      action: faults.problem(400, 'rejectedIdentifier', 'fail.life.test is on a block list'),
    });
    const result = await runCli(['renew', '--config', 'failing.yaml'], { cwd: dir });
    rule.remove();
    expect(result.code, explain(result)).toBe(1);
    expect(result.stdout).toMatch(
      /^fail\.life\.test: failed \(the CA's answer, 1 in a row\), next attempt after .*rejectedIdentifier/m,
    );
    const status = await runCli(['status', '--wide', '--config', 'failing.yaml'], { cwd: dir });
    expect(status.stdout).toMatch(/last error \(1 in a row, .*\): .*rejectedIdentifier/);
    expect(status.stdout).toMatch(/backoff: nothing is sent before/);
  });

  it('account deactivate needs --yes; then the CA refuses the account and renew fails (exit 1)', async () => {
    const refused = await certkeeper('account', 'deactivate');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Deactivating an account is irreversible');
    expect(ca.proxy.log.filter((entry) => entry.kind === 'account')).toEqual([]);

    const deactivated = await certkeeper('account', 'deactivate', '--yes', '--json');
    expect(deactivated.code, explain(deactivated)).toBe(0);
    expect(JSON.parse(deactivated.stdout)).toMatchObject({
      event: 'account',
      action: 'deactivate',
      status: 'deactivated',
    });
    const renew = await certkeeper('renew', '--force', '--json');
    expect(renew.code, explain(renew)).toBe(1);
    expect(
      jsonLines(renew.stdout)
        .filter((e) => e.event === 'outcome')
        .map((e) => e.type),
    ).toContain('failed');
  });
});
