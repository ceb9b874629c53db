// `account register` asks the CA about a stored account; `account register --new` replaces an account the CA
// deactivated (or forgot), and `renew` then issues the config's certificates under the new account. Pebble.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killPointEnv } from '../support/kill-points.js';
import {
  caConfig,
  ensureCliBuilt,
  explain,
  jsonLines,
  removeWorkdirs,
  runCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

let dir: string;
let ca: TestCa;
const certkeeper = (...args: string[]) => runCli(args, { cwd: dir });

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('account-new');
  ca = await startTestCa(dir);
  await writeFile(
    join(dir, 'certkeeper.yaml'),
    caConfig(ca, './data', 'certificates:\n  - names: [www.config.test]\n'),
  );
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

const accountPosts = () => ca.proxy.log.filter((e) => e.kind === 'account' && e.method === 'POST').length;
const outcomes = (stdout: string) => jsonLines(stdout).filter((e) => e.event === 'outcome');

describe('account register --new', () => {
  let firstUrl: string;

  it('a plain register of a stored account asks the CA, and says it confirms it', async () => {
    const registered = await certkeeper('account', 'register', '--json');
    expect(registered.code, explain(registered)).toBe(0);
    firstUrl = JSON.parse(registered.stdout).accountUrl;
    const before = accountPosts();
    const again = await certkeeper('account', 'register');
    expect(again.code, explain(again)).toBe(0);
    expect(again.stdout).toContain('already registered, the CA confirms it');
    expect(again.stdout).toContain(firstUrl);
    expect(accountPosts()).toBe(before + 1); // the POST-as-GET of the account
  });

  it('refuses --new while the CA still accepts the stored account (exit 2, nothing changed)', async () => {
    const refused = await certkeeper('account', 'register', '--new');
    expect(refused.code, explain(refused)).toBe(2);
    expect(refused.stderr).toContain('CERTKEEPER_ERR_INVALID_OPTION');
    expect(refused.stderr).toContain('The CA still accepts account "default"');
    expect(refused.stderr).toContain('`certkeeper account rollover`');
    const shown = await certkeeper('account', 'show', '--local', '--json');
    expect(JSON.parse(shown.stdout).accountUrl).toBe(firstUrl);
  });

  it('after deactivation: renew and register fail naming `account register --new`; --new replaces it; renew issues', async () => {
    const issued = await certkeeper('renew', '--json');
    expect(issued.code, explain(issued)).toBe(4);
    const byIssue = await certkeeper('issue', 'made-by-issue.test', '--json');
    expect(byIssue.code, explain(byIssue)).toBe(0);

    const deactivated = await certkeeper('account', 'deactivate', '--yes');
    expect(deactivated.code, explain(deactivated)).toBe(0);

    const failing = await certkeeper('renew', '--force');
    expect(failing.code, explain(failing)).toBe(1);
    expect(failing.stdout).toMatch(
      /^www\.config\.test: failed .*Account has been deactivated.*\n {2}Next: the account is no longer valid at the CA .*`certkeeper account register --new`/m,
    );
    const failingJson = await certkeeper('renew', '--force', '--json');
    expect(outcomes(failingJson.stdout)[0]?.hint).toContain('`certkeeper account register --new`');

    const plain = await certkeeper('account', 'register');
    expect(plain.code, explain(plain)).toBe(1);
    expect(plain.stderr).toMatch(
      /The stored account "default" \(https:\S+\) is deactivated at the CA https:/,
    );
    expect(plain.stderr).toMatch(/Next: `certkeeper account register --new`/);

    const renewed = await certkeeper('account', 'register', '--new', '--json');
    expect(renewed.code, explain(renewed)).toBe(0);
    const summary = JSON.parse(renewed.stdout);
    expect(summary).toMatchObject({
      action: 'register',
      created: true,
      replaced: { accountUrl: firstUrl, status: 'deactivated' },
      notRenewed: [{ names: ['made-by-issue.test'] }],
    });
    expect(summary.accountUrl).not.toBe(firstUrl);
    const shown = await certkeeper('account', 'show', '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ accountUrl: summary.accountUrl, status: 'valid' });

    const after = await certkeeper('renew', '--json');
    expect(after.code, explain(after)).toBe(4);
    const results = outcomes(after.stdout);
    expect(results.map((o) => [o.names, o.type])).toEqual([[['www.config.test'], 'issued']]);
    // the certificate was ordered by the new account
    const orders = ca.proxy.log.filter((e) => e.kind === 'newOrder' && e.status === 201);
    expect(orders.at(-1)?.jws?.kid).toBe(summary.accountUrl);

    const fresh = await certkeeper('renew');
    expect(fresh.code, explain(fresh)).toBe(0);
  });
});

describe('account register --new, killed at each store write', () => {
  it('before the new key is stored: the old account stays; after the CA answered: --new again finds the same account, renew issues', async () => {
    const config = ['--config', 'kill.yaml'];
    await writeFile(
      join(dir, 'kill.yaml'),
      caConfig(ca, './data-kill', 'certificates:\n  - names: [www.kill.test]\n'),
    );
    const registered = await certkeeper('account', 'register', ...config, '--json');
    expect(registered.code, explain(registered)).toBe(0);
    const oldUrl = JSON.parse(registered.stdout).accountUrl as string;
    expect((await certkeeper('account', 'deactivate', '--yes', ...config)).code).toBe(0);
    const trace = join(dir, 'kill-trace');
    const killed = (at: number) =>
      runCli(['account', 'register', '--new', ...config], {
        cwd: dir,
        env: killPointEnv({ at, match: 'data-kill/accounts', trace }),
      });

    // 1: before the record with the new key replaces the old one
    const first = await killed(1);
    expect(first.signal ?? first.code, explain(first)).toBe('SIGKILL');
    const kept = await certkeeper('account', 'show', '--local', '--json', ...config);
    expect(JSON.parse(kept.stdout).accountUrl).toBe(oldUrl);

    // 2: the new key is stored and the CA has registered it; killed before its URL is stored
    await writeFile(trace, '');
    const created = () => ca.proxy.log.filter((e) => e.kind === 'newAccount' && e.status === 201).length;
    const createdBefore = created();
    const second = await killed(2);
    expect(second.signal ?? second.code, explain(second)).toBe('SIGKILL');
    expect(await readFile(trace, 'utf8')).toMatch(/^1 rename .*\n2 rename /);
    expect(created()).toBe(createdBefore + 1);

    // --new again registers the stored key (not yet another): the CA returns the account it created (200)
    const resumed = await certkeeper('account', 'register', '--new', ...config);
    expect(resumed.code, explain(resumed)).toBe(0);
    expect(created()).toBe(createdBefore + 1);
    expect(resumed.stdout).toMatch(/^registered a new account: \n {2}name {8}default\n/);
    expect(resumed.stdout).toContain(
      'certificates of the config are ordered under the new account by the next `certkeeper renew`.',
    );
    expect(resumed.stdout).not.toContain('replaced:'); // the old URL was gone from the store already

    // and renew issues under it
    const renew = await certkeeper('renew', ...config, '--json');
    expect(renew.code, explain(renew)).toBe(4);
    expect(created()).toBe(createdBefore + 1);
    const shown = await certkeeper('account', 'show', '--json', ...config);
    const account = JSON.parse(shown.stdout);
    expect(account).toMatchObject({ status: 'valid' });
    expect(account.accountUrl).not.toBe(oldUrl);
  });
});
