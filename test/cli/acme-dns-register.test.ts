// `certkeeper acme-dns register <domain>`: the built binary against a local acme-dns. It must print the CNAME,
// keep the credentials in a 0600 file the acme-dns plugin reads, never print the password, be safe to run twice,
// and leave the credentials file whole when killed at any write.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acmeDns, parseAccounts } from '@certkeeper/dns-acme-dns';
import { type FakeAcmeDns, startFakeAcmeDns } from '@certkeeper/testkit/fakes/acme-dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killPointEnv, readKillTrace } from '../support/kill-points.js';
import { ensureCliBuilt, explain, removeWorkdirs, runCli, workdir } from './support/cli-harness.js';

let fake: FakeAcmeDns;
beforeAll(async () => {
  await ensureCliBuilt();
  fake = await startFakeAcmeDns();
}, 180_000);
afterAll(async () => {
  await fake?.stop();
  await removeWorkdirs();
});

async function accountsIn(file: string) {
  return Object.fromEntries(parseAccounts(await readFile(file, 'utf8')));
}

describe('certkeeper acme-dns register', () => {
  it('registers, prints the CNAME, and keeps the credentials in a 0600 file the plugin reads, never printing them', async () => {
    const dir = await workdir('acme-dns-register');
    const result = await runCli(['acme-dns', 'register', '*.example.test', '--server', fake.apiUrl], {
      cwd: dir,
    });
    expect(result.code, explain(result)).toBe(0);
    const file = join(dir, 'acme-dns.json');
    const accounts = await accountsIn(file);
    const account = accounts['example.test']!;
    expect(result.stdout).toContain(`_acme-challenge.example.test. CNAME ${account.fulldomain}.`);
    expect(result.stdout).toContain(`accounts: { file: ${file} }`);
    expect(`${result.stdout}${result.stderr}`).not.toContain(account.password);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(fake.count('register')).toBe(1);
    // The file works: the plugin updates the account's value, which the acme-dns DNS server then serves.
    const dns = acmeDns({
      apiUrl: fake.apiUrl,
      dnsServer: fake.dnsServer,
      accounts: await readFile(file, 'utf8'),
    });
    await dns.createRecord('example.test', {
      name: '_acme-challenge',
      type: 'TXT',
      value: 'v'.repeat(43),
      ttl: 60,
    });
    expect(fake.values(account.subdomain)).toEqual(['v'.repeat(43)]);
  });

  it('is safe to run twice, adds other domains to the file, and takes its defaults from the config', async () => {
    const dir = await workdir('acme-dns-config');
    await writeFile(
      join(dir, 'certkeeper.yaml'),
      [
        'ca:',
        '  directory: letsencrypt-staging',
        'solvers:',
        '  - type: dns-01',
        '    provider: acme-dns',
        '    options:',
        `      apiUrl: ${fake.apiUrl}`,
        '      accounts: { file: secrets/acme-dns.json }',
        '',
      ].join('\n'),
    );
    await mkdir(join(dir, 'secrets'), { mode: 0o700 });
    const before = fake.count('register');
    const first = await runCli(['acme-dns', 'register', 'one.test', '--json'], { cwd: dir });
    expect(first.code, explain(first)).toBe(0);
    const again = await runCli(['acme-dns', 'register', 'one.test', '--json'], { cwd: dir });
    const second = await runCli(['acme-dns', 'register', 'two.test'], { cwd: dir });
    expect([again.code, second.code]).toEqual([0, 0]);
    const [firstJson, againJson] = [JSON.parse(first.stdout), JSON.parse(again.stdout)];
    expect([firstJson.created, againJson.created]).toEqual([true, false]);
    expect(againJson.cname).toEqual(firstJson.cname);
    expect(fake.count('register') - before).toBe(2); // one.test once, two.test once
    const file = join(dir, 'secrets/acme-dns.json');
    expect(Object.keys(await accountsIn(file)).sort()).toEqual(['one.test', 'two.test']);
    expect(JSON.stringify(firstJson)).not.toContain((await accountsIn(file))['one.test']!.password);
  });

  it('says which server is missing, and nothing is written', async () => {
    const dir = await workdir('acme-dns-noserver');
    const result = await runCli(['acme-dns', 'register', 'example.test'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--server');
    expect(await readdir(dir)).not.toContain('acme-dns.json');
  });

  it('killed before any write, the credentials file holds the old accounts or the new ones, never half', async () => {
    const dir = await workdir('acme-dns-kill');
    const base = await runCli(['acme-dns', 'register', 'first.test', '--server', fake.apiUrl], { cwd: dir });
    expect(base.code, explain(base)).toBe(0);
    const file = join(dir, 'acme-dns.json');
    const trace = join(dir, 'trace.txt');
    const traced = await runCli(['acme-dns', 'register', 'traced.test', '--server', fake.apiUrl], {
      cwd: dir,
      env: killPointEnv({ trace, match: dir }),
    });
    expect(traced.code, explain(traced)).toBe(0);
    const points = await readKillTrace(trace);
    expect(points.length).toBeGreaterThan(0);
    for (const point of points) {
      const domain = `killed-${point.n}.test`;
      const killed = await runCli(['acme-dns', 'register', domain, '--server', fake.apiUrl], {
        cwd: dir,
        env: killPointEnv({ at: point.n, match: dir }),
      });
      expect(killed.signal, `kill before ${point.op} ${point.n}`).toBe('SIGKILL');
      const accounts = await accountsIn(file); // parses: the file is whole
      expect(Object.keys(accounts)).toContain('first.test');
      expect(Object.keys(accounts)).not.toContain(domain);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      // Run again: it registers (the killed run's account is unused) and the file gains the domain.
      const rerun = await runCli(['acme-dns', 'register', domain, '--server', fake.apiUrl], { cwd: dir });
      expect(rerun.code, explain(rerun)).toBe(0);
      expect(Object.keys(await accountsIn(file))).toContain(domain);
    }
  });
});
