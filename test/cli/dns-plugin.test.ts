// dns-01 through a plugin loaded by package name: the RFC 2136 plugin updates a real BIND 9 primary, and Pebble's
// validation authority resolves through that BIND. The TSIG secret comes from the environment — from the config
// (`{ env: NAME }`), and is never printed.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rfc2136 } from '@certkeeper/dns-rfc2136';
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

const zone = 'cli-dns.test';
// The key may write only below `_acme-challenge.<name>` here: a dns-01 record (at `_acme-challenge.<name>` itself)
// is refused, so an issuance proves that dns-account-01's `_<account label>._acme-challenge.<name>` was used.
const accountZone = 'cli-dns-account.test';
const key = newKey('ck-cli', 'hmac-sha256');
let dir: string;
let bind: BindPrimary;
let ca: TestCa;

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('dns-plugin');
  bind = await startBindPrimary(
    [
      { name: zone, updatePolicy: [`grant ${key.name} zonesub TXT;`] },
      {
        name: accountZone,
        updatePolicy: [`grant ${key.name} wildcard *._acme-challenge.${accountZone} TXT;`],
        allowTransfer: `key ${key.name};`, // so the test can list every record left behind
      },
    ],
    [key],
  );
  ca = await startTestCa(dir, { dnsServer: bind.address });
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await bind?.stop();
  await removeWorkdirs();
});

describe('dns-01 through @certkeeper/dns-rfc2136 and BIND, driven by the built CLI', () => {
  it('issues an apex + wildcard certificate from a config whose TSIG secret is { env: ... }', async () => {
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
    options:
      server: ${bind.address}
      keyName: ${key.name}
      keyAlgorithm: ${key.algorithm}
      keySecret: { env: CK_TEST_TSIG_SECRET }
    zones: [${zone}]
    nameservers: [${bind.address}]
    resolvers: [${bind.address}]
certificates:
  - names: [${zone}, '*.${zone}']
`,
    );
    const result = await runCli(['renew', '--json'], { cwd: dir, env: { CK_TEST_TSIG_SECRET: key.secret } });
    expect(result.code, explain(result)).toBe(4);
    expect(result.stdout).not.toContain(key.secret);
    expect(result.stdout).toContain(`"names":["${zone}","*.${zone}"],"type":"issued"`);
    const phases = result.stdout.match(/"phase":"[a-z-]+"/g) ?? [];
    expect(phases).toContain('"phase":"await-readiness"');
    // Cleanup deleted exactly what was published.
    const provider = rfc2136({ server: bind.address, tsig: { name: key.name, secret: key.secret } });
    expect(await provider.listRecords(zone, { name: '_acme-challenge' })).toEqual([]);
  });

  it('issue --dns rfc2136 --dns-account-01 answers dns-account-01 where only the account-scoped name is writable', async () => {
    const names = [accountZone, `*.${accountZone}`];
    await writeFile(
      join(dir, 'certkeeper-account.yaml'),
      `ca:
  directory: ${ca.proxy.directoryUrl}
  caBundle: ${ca.caBundleFile}
account:
  agreeTos: true
store:
  directory: ./data-account
solvers:
  - type: dns-01
    provider: rfc2136
    options:
      server: ${bind.address}
      keyName: ${key.name}
      keyAlgorithm: ${key.algorithm}
      keySecret: { env: CK_TEST_TSIG_SECRET }
    zones: [${zone}, ${accountZone}]
    nameservers: [${bind.address}]
    resolvers: [${bind.address}]
`,
    );
    const issue = (extra: string[]) =>
      runCli(
        ['--config', 'certkeeper-account.yaml', 'issue', '--dns', 'rfc2136', ...extra, '--json', ...names],
        {
          cwd: dir,
          env: { CK_TEST_TSIG_SECRET: key.secret },
        },
      );
    // Without the flag dns-01 is used, and BIND refuses the record at _acme-challenge.<name>: nothing issued.
    const refused = await issue([]);
    expect(refused.code, explain(refused)).not.toBe(0);
    expect(refused.stdout).not.toContain('"type":"issued"');

    const result = await issue(['--dns-account-01', '--force']);
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout).not.toContain(key.secret);
    expect(result.stdout).toContain('"type":"issued"');
    const provider = rfc2136({ server: bind.address, tsig: { name: key.name, secret: key.secret } });
    expect((await provider.listRecords(accountZone)).filter((record) => record.type === 'TXT')).toEqual([]);
  });

  it('refuses --dns-account-01 without a DNS solver (exit 2, the flag and the way out named)', async () => {
    const result = await runCli(['issue', '--http-standalone', '--dns-account-01', 'x.cli-dns.test'], {
      cwd: dir,
      env: { CK_TEST_TSIG_SECRET: key.secret },
    });
    expect(result.code, explain(result)).toBe(2);
    expect(result.stdout + result.stderr).toContain(
      '--dns-account-01: needs a DNS solver: add --dns <plugin>',
    );
  });
});
