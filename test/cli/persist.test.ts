// dns-persist-01 driven by the built CLI: `persist publish` writes the standing record once through the RFC 2136
// plugin into a real BIND primary (Pebble's validation authority resolves through it); then `issue` and a forced
// `renew` answer dns-persist-01 with zero DNS writes — the zone's SOA serial, which BIND bumps on every dynamic
// update, does not move, and the key may write nothing but `_validation-persist.<zone>` anyway.
import { Resolver } from 'node:dns/promises';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BindPrimary, newKey, startBindPrimary } from '../plugins/support/bind-primary.js';
import {
  ensureCliBuilt,
  explain,
  removeWorkdirs,
  runCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

const zone = 'cli-persist.test';
const names = [zone, `*.${zone}`];
const key = newKey('ck-persist', 'hmac-sha256');
let dir: string;
let bind: BindPrimary;
let ca: TestCa;

const cli = (args: string[]) =>
  runCli(['--config', 'certkeeper.yaml', ...args], {
    cwd: dir,
    env: { CK_TEST_TSIG_SECRET: key.secret },
    timeoutMs: 90_000,
  });

async function serial(): Promise<number> {
  const resolver = new Resolver({ timeout: 1000, tries: 2 });
  resolver.setServers([bind.address]);
  return (await resolver.resolveSoa(zone)).serial;
}

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('persist');
  // Only the persistent record's name is writable: a dns-01 record at _acme-challenge would be refused.
  bind = await startBindPrimary(
    [{ name: zone, updatePolicy: [`grant ${key.name} name _validation-persist.${zone} TXT;`] }],
    [key],
  );
  // Authorization reuse off: every order is validated again, from the standing record.
  ca = await startTestCa(dir, { dnsServer: bind.address, env: { PEBBLE_AUTHZREUSE: '0' } });
  await writeFile(
    join(dir, 'certkeeper.yaml'),
    `ca:
  directory: ${ca.proxy.directoryUrl}
  caBundle: ${ca.caBundleFile}
account:
  agreeTos: true
store:
  directory: ./data
solvers:
  - type: dns-01
    provider: rfc2136
    dnsPersist01: true
    options:
      server: ${bind.address}
      keyName: ${key.name}
      keyAlgorithm: ${key.algorithm}
      keySecret: { env: CK_TEST_TSIG_SECRET }
    zones: [${zone}]
    nameservers: [${bind.address}]
    resolvers: [${bind.address}]
`,
  );
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await bind?.stop();
  await removeWorkdirs();
});

describe('certkeeper persist and dns-persist-01 issuance through BIND', () => {
  it('check fails naming the server, publish writes once, check passes, then two issuances write nothing', async () => {
    const missing = await cli(['persist', 'check', ...names]);
    expect(missing.code, explain(missing)).toBe(1);
    expect(missing.stdout).toContain(`missing: 1 of 1 authoritative answers`);
    expect(missing.stdout).toContain(`${bind.address} for _validation-persist.${zone}: NXDOMAIN`);

    const shown = await cli(['persist', 'show', '--json', ...names]);
    expect(shown.code, explain(shown)).toBe(0);
    const show = JSON.parse(shown.stdout) as {
      accountUrl: string;
      issuerDomainNames: string[];
      records: { recordName: string; value: string }[];
    };
    expect(show.records).toEqual([
      expect.objectContaining({
        recordName: `_validation-persist.${zone}`,
        value: `${show.issuerDomainNames[0]}; accounturi=${show.accountUrl}; policy=wildcard`,
      }),
    ]);

    const before = await serial();
    const published = await cli(['persist', 'publish', '--persist-until', '10d', ...names]);
    expect(published.code, explain(published)).toBe(0);
    expect(published.stdout).toContain('published 1 dns-persist-01 record(s)');
    expect(published.stdout).not.toContain(key.secret);
    const afterPublish = await serial();
    expect(afterPublish).toBeGreaterThan(before);

    const present = await cli(['persist', 'check', ...names]);
    expect(present.code, explain(present)).toBe(0);
    expect(present.stdout).toContain('ok: all 1 authoritative answers');

    const issued = await cli(['issue', '--json', ...names]);
    expect(issued.code, explain(issued)).toBe(0);
    expect(issued.stdout).toContain('"type":"issued"');
    const renewed = await cli(['renew', '--force', '--json', ...names]);
    expect(renewed.code, explain(renewed)).toBe(4);
    expect(renewed.stdout).toContain('"type":"renewed"');
    // Neither order wrote to the zone.
    expect(await serial()).toBe(afterPublish);

    // persistUntil is 10 days away, inside status's 30-day warning.
    const status = await cli(['status']);
    expect(status.code, explain(status)).toBe(0);
    expect(status.stdout).toMatch(
      new RegExp(
        `warning: the dns-persist-01 record for ${zone.replace('.', '\\.')} and \\*\\.${zone.replace('.', '\\.')} expires on \\d{4}-\\d\\d-\\d\\d \\(persistUntil\\) — run \`certkeeper persist publish ${zone.replace('.', '\\.')} \\*\\.`,
      ),
    );
  });

  it('status --check exits 1 while a published record lapses within 30 days', async () => {
    const check = await cli(['status', '--check']);
    expect(check.code, explain(check)).toBe(1);
    expect(check.stdout).toMatch(
      /^PROBLEM: the dns-persist-01 record for cli-persist\.test and \*\.cli-persist\.test expires on /,
    );
  });

  it('publish refuses a persistUntil in the past, naming the flag (exit 2, nothing written)', async () => {
    const before = await serial();
    const result = await cli(['persist', 'publish', '--persist-until', '2020-01-01', zone]);
    expect(result.code, explain(result)).toBe(2);
    expect(result.stderr).toContain('--persist-until 2020-01-01 is not a future date');
    expect(await serial()).toBe(before);
  });

  it('refuses an IP address, and check without a DNS solver, before asking anyone (exit 2)', async () => {
    const ip = await cli(['persist', 'show', '192.0.2.1']);
    expect(ip.code, explain(ip)).toBe(2);
    expect(ip.stderr).toContain('192.0.2.1 is an IP address; dns-persist-01 proves DNS names only');
    // A directory without a config file: no solver at all.
    const noSolver = await runCli(['persist', 'check', zone], { cwd: await workdir('persist-empty') });
    expect(noSolver.code, explain(noSolver)).toBe(2);
    expect(noSolver.stderr).toContain('persist check needs a DNS solver');
    expect(noSolver.stderr).toContain('--dns <plugin>');
  });
});
