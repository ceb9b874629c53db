// `issue --dry-run` and `renew --dry-run` through the built binary against Pebble. Pebble has no staging
// directory, so against it a dry run stops after the readiness check: the test proves no challenge was answered, no
// finalize was sent, the authorizations are deactivated at the CA, and nothing was stored, written or run. With
// `ca.staging` naming a second proxy in front of the same Pebble (another directory URL, so another CA to
// certkeeper), the whole flow runs there: issued, verified, discarded — and production is not asked anything.
import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AcmeClient, createCsr, generateCertificateKey, importAccountKey } from '@certkeeper/core';
import { allCertificates, allManaged, FileStore } from '@certkeeper/store';
import { type FaultProxy, faults, startFaultProxy } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
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

let dir: string;
let ca: TestCa;
let staging: FaultProxy;
const certkeeper = (...args: string[]) => runCli(args, { cwd: dir });
const exists = (path: string) =>
  access(join(dir, path)).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('dry-run');
  ca = await startTestCa(dir);
  staging = await startFaultProxy({ target: ca.pebble.directoryUrl, caBundlePem: ca.pebble.caBundlePem });
  const hooks = `defaults:
  preHook: [touch, pre-hook-ran]
  postHook: [touch, post-hook-ran]
certificates:
  - names: [a.dry.test, www.a.dry.test]
    output: out-a
    deployHook: [touch, deploy-hook-ran]
  - names: [b.dry.test]
`;
  await writeFile(join(dir, 'certkeeper.yaml'), caConfig(ca, './data', hooks));
  // The same Pebble under a second URL, named as this CA's staging directory; both proxies' CAs are trusted.
  await writeFile(join(dir, 'both-bundles.pem'), `${ca.proxy.caBundlePem}\n${staging.caBundlePem}`);
  await writeFile(
    join(dir, 'staged.yaml'),
    caConfig(ca, './data-staged', hooks)
      .replace(`caBundle: ${ca.caBundleFile}`, `caBundle: ${join(dir, 'both-bundles.pem')}`)
      .replace('  rateLimits:', `  staging: ${staging.directoryUrl}\n  rateLimits:`),
  );
}, 120_000);
afterAll(async () => {
  await staging?.close();
  await ca?.close();
  await removeWorkdirs();
});

/** Pebble's view of each authorization, read with the account certkeeper stored for that directory. */
async function authorizationStatuses(
  store: string,
  directoryUrl: string,
  urls: readonly string[],
  at: TestCa = ca,
) {
  const opened = await FileStore.open({ directory: join(dir, store) });
  try {
    const account = (await opened.getAccount(directoryUrl, 'default'))!;
    const client = new AcmeClient({
      directoryUrl,
      caBundle: `${at.proxy.caBundlePem}\n${staging.caBundlePem}`,
      accountKey: await importAccountKey(account.keyPem),
      accountUrl: account.accountUrl,
    });
    try {
      return await Promise.all(
        urls.map(async (url) => (await client.authorizations.get(url)).authorization.status),
      );
    } finally {
      await client.close();
    }
  } finally {
    await opened.close();
  }
}

/** What the store holds: certificates, managed records (recipes), stored orders' keys. */
async function stored(store: string) {
  const opened = await FileStore.open({ directory: join(dir, store) });
  try {
    const certificates = [];
    for await (const record of allCertificates(opened)) certificates.push(record.key);
    const managed = [];
    for await (const record of allManaged(opened)) managed.push(record.key);
    const live = await readdir(join(dir, store, 'live')).catch(() => []);
    return { certificates, managed, live };
  } finally {
    await opened.close();
  }
}

describe('--dry-run against a CA without a staging directory', () => {
  it('issue: publishes and checks, deactivates the authorizations, answers no challenge, finalizes nothing, keeps nothing', async () => {
    ca.proxy.clearLog();
    const result = await certkeeper(
      'issue',
      '--dry-run',
      '--json',
      '--output',
      'out-issue',
      '--deploy-hook',
      'touch deploy-hook-ran',
      'c.dry.test',
      'www.c.dry.test',
    );
    expect(result.code, explain(result)).toBe(0);
    const event = jsonLines(result.stdout).find((line) => line.event === 'dry-run')!;
    expect(event).toMatchObject({
      names: ['c.dry.test', 'www.c.dry.test'],
      ok: true,
      staging: false,
      directoryUrl: ca.proxy.directoryUrl,
      did: 'challenges-checked',
      message: `dry run against ${ca.proxy.directoryUrl} (no staging directory): challenges published and checked, authorizations deactivated (2), nothing issued`,
    });
    expect(event.certificate).toBeUndefined();
    const deactivated = event.deactivated as string[];
    expect(deactivated).toHaveLength(2);
    expect(await authorizationStatuses('data', ca.proxy.directoryUrl, deactivated)).toEqual([
      'deactivated',
      'deactivated',
    ]);
    // The order reached the CA and its authorizations were read; no challenge was answered, nothing finalized.
    expect(ca.proxy.count('newOrder', 'POST')).toBe(1);
    expect(ca.proxy.count('challenge', 'POST')).toBe(0);
    expect(ca.proxy.count('finalize')).toBe(0);
    expect(await stored('data')).toEqual({ certificates: [], managed: [], live: [] });
    expect(await exists('out-issue')).toBe(false);
    expect(await exists('deploy-hook-ran')).toBe(false);
  });

  it('renew: rehearses every configured certificate, runs no pre, post or deploy hook, and says what it did', async () => {
    ca.proxy.clearLog();
    const result = await certkeeper('renew', '--dry-run');
    expect(result.code, explain(result)).toBe(0);
    const place = `dry run against ${ca.proxy.directoryUrl} (no staging directory)`;
    expect(result.stdout).toContain(
      `a.dry.test, www.a.dry.test: ${place}: challenges published and checked, authorizations deactivated (2), nothing issued`,
    );
    expect(result.stdout).toContain(
      `b.dry.test: ${place}: challenges published and checked, authorizations deactivated (1), nothing issued`,
    );
    expect(result.stdout).toMatch(/2 certificates: 2 dry-run \(exit 0\)/);
    expect(ca.proxy.count('newOrder', 'POST')).toBe(2);
    expect(ca.proxy.count('challenge', 'POST')).toBe(0);
    expect(ca.proxy.count('finalize')).toBe(0);
    expect(await stored('data')).toEqual({ certificates: [], managed: [], live: [] });
    for (const file of ['out-a', 'pre-hook-ran', 'post-hook-ran', 'deploy-hook-ran'])
      expect(await exists(file), file).toBe(false);
  });

  it('exits 1 and says why when the CA refuses the order; nothing is kept', async () => {
    const rule = ca.proxy.addRule({
      kind: 'newOrder',
      times: 1,
      action: faults.problem(400, 'rejectedIdentifier', 'Error creating new order :: name is blocked'),
    });
    const result = await certkeeper('issue', '--dry-run', 'blocked.dry.test');
    rule.remove();
    expect(result.code, explain(result)).toBe(1);
    expect(result.stdout).toContain(
      `blocked.dry.test: dry run against ${ca.proxy.directoryUrl} (no staging directory) failed:`,
    );
    expect(result.stdout).toContain('CERTKEEPER_ERR_REJECTED_IDENTIFIER');
    expect(await stored('data')).toEqual({ certificates: [], managed: [], live: [] });
  });
});

describe('--dry-run against a CA with a staging directory (ca.staging)', () => {
  it('issues at the staging directory, verifies and discards the certificate; production is asked nothing', async () => {
    ca.proxy.clearLog();
    staging.clearLog();
    const result = await certkeeper('--config', 'staged.yaml', 'renew', '--dry-run', '--json');
    expect(result.code, explain(result)).toBe(0);
    const events = jsonLines(result.stdout).filter((line) => line.event === 'dry-run');
    expect(events.map((event) => event.names)).toEqual([['a.dry.test', 'www.a.dry.test'], ['b.dry.test']]);
    for (const event of events) {
      expect(event).toMatchObject({ ok: true, staging: true, directoryUrl: staging.directoryUrl });
      expect(event.did).toBe('issued-and-discarded');
      expect((event.certificate as { serialNumberHex: string }).serialNumberHex).toMatch(/^[0-9a-f]+$/);
      expect(event.message).toMatch(
        new RegExp(
          `^dry run against ${staging.directoryUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: issued and discarded \\(serial [0-9a-f]+, valid until .+\\); nothing stored or deployed$`,
        ),
      );
    }
    expect(staging.count('finalize', 'POST')).toBe(2);
    expect(ca.proxy.log.filter((entry) => entry.method !== 'GET')).toEqual([]);
    // The staging CA got its own account, stored under its directory; no production account was made.
    const opened = await FileStore.open({ directory: join(dir, 'data-staged') });
    try {
      expect((await opened.getAccount(staging.directoryUrl, 'default'))?.accountUrl).toBeTruthy();
      expect(await opened.getAccount(ca.proxy.directoryUrl, 'default')).toBeUndefined();
    } finally {
      await opened.close();
    }
    expect(await stored('data-staged')).toEqual({ certificates: [], managed: [], live: [] });
    for (const file of ['out-a', 'pre-hook-ran', 'post-hook-ran', 'deploy-hook-ran'])
      expect(await exists(file), file).toBe(false);
  });
});

describe('--dry-run at a staging directory with ca.trustAnchors', () => {
  it('verifies the staging chain without the production roots, which it would never end at', async () => {
    // The anchors: a root Pebble's chains do not end at (as production's ISRG roots are not staging's).
    await writeFile(
      join(dir, 'anchored.yaml'),
      (await readFile(join(dir, 'staged.yaml'), 'utf8')).replace(
        '  rateLimits:',
        `  trustAnchors: ${ca.caBundleFile}\n  rateLimits:`,
      ),
    );
    const result = await certkeeper('--config', 'anchored.yaml', 'issue', '--dry-run', 'anchor.dry.test');
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout).toMatch(/^anchor\.dry\.test: dry run against \S+: issued and discarded/m);
  });
});

describe('--dry-run stopped by Ctrl-C', () => {
  it('abandons the order in flight: its authorizations are deactivated, nothing is kept, exit 130', async () => {
    // The first authorization read never reaches Pebble: the run waits there until it is stopped.
    const hold = ca.proxy.addRule({
      kind: 'authz',
      method: 'POST',
      times: 1,
      action: faults.respond(() => new Promise(() => {})),
    });
    ca.proxy.clearLog();
    const child = spawnCli(['issue', '--dry-run', 'stop.dry.test'], { cwd: dir });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    for (let waited = 0; hold.fired === 0; waited += 50) {
      if (waited > 30_000) throw new Error(`the run never read an authorization; it printed:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await closed;
    hold.remove();
    expect(code, stdout).toBe(130);
    expect(stdout).toContain('interrupted (SIGINT); the order in flight was abandoned, nothing is kept');
    expect(ca.proxy.count('finalize')).toBe(0);
    const authorizations = ca.proxy.log
      .filter((entry) => entry.kind === 'authz')
      .map((entry) => new URL(entry.path, ca.proxy.url).href);
    expect(await authorizationStatuses('data', ca.proxy.directoryUrl, [...new Set(authorizations)])).toEqual([
      'deactivated',
    ]);
    expect(await stored('data')).toEqual({ certificates: [], managed: [], live: [] });
  });
});

describe('--dry-run with --csr', () => {
  it('rehearses the CSR’s names at the staging directory and keeps neither recipe nor CSR', async () => {
    const key = await generateCertificateKey('ec256');
    const csr = await createCsr({ identifiers: [{ type: 'dns', value: 'csr.dry.test' }], key });
    await writeFile(join(dir, 'dry.csr'), csr.pem);
    staging.clearLog();
    const result = await certkeeper(
      '--config',
      'staged.yaml',
      'issue',
      '--dry-run',
      '--json',
      '--csr',
      'dry.csr',
    );
    expect(result.code, explain(result)).toBe(0);
    const event = jsonLines(result.stdout).find((line) => line.event === 'dry-run')!;
    expect(event).toMatchObject({ names: ['csr.dry.test'], ok: true, did: 'issued-and-discarded' });
    expect(staging.count('finalize', 'POST')).toBe(1);
    expect(await stored('data-staged')).toEqual({ certificates: [], managed: [], live: [] });
  });
});

describe('--dry-run when the CA reuses a valid authorization', () => {
  let reusing: TestCa;
  beforeAll(async () => {
    // Pebble reuses every valid authorization of the account: the order is ready before any challenge.
    reusing = await startTestCa(dir, { env: { PEBBLE_AUTHZREUSE: '100' } });
    await writeFile(join(dir, 'reusing.yaml'), caConfig(reusing, './data-reusing'));
  }, 60_000);
  afterAll(async () => {
    await reusing?.close();
  });

  it('stops before the finalize a ready order would get, and leaves the valid authorization and the certificate alone', async () => {
    const issued = await certkeeper('--config', 'reusing.yaml', 'issue', 'reuse.dry.test');
    expect(issued.code, explain(issued)).toBe(0);
    const before = await stored('data-reusing');
    reusing.proxy.clearLog();
    const result = await certkeeper(
      '--config',
      'reusing.yaml',
      'issue',
      '--dry-run',
      '--json',
      'reuse.dry.test',
    );
    expect(result.code, explain(result)).toBe(0);
    const event = jsonLines(result.stdout).find((line) => line.event === 'dry-run')!;
    expect(event).toMatchObject({ ok: true, did: 'challenges-checked', deactivated: [] });
    expect(event.reused as string[]).toHaveLength(1);
    expect(event.message).toMatch(
      /authorizations deactivated \(0\); 1 already valid for the account, left as it was, nothing issued$/,
    );
    expect(reusing.proxy.count('newOrder', 'POST')).toBe(1);
    expect(reusing.proxy.count('finalize')).toBe(0);
    expect(
      await authorizationStatuses(
        'data-reusing',
        reusing.proxy.directoryUrl,
        event.reused as string[],
        reusing,
      ),
    ).toEqual(['valid']);
    expect(await stored('data-reusing')).toEqual(before);
  });
});

describe('ca.staging', () => {
  it('is checked like ca.directory: anything but an alias or an https:// URL exits 2 naming file, line and key', async () => {
    await writeFile(
      join(dir, 'bad-staging.yaml'),
      caConfig(ca, './data-bad').replace(
        '  rateLimits:',
        '  staging: ftp://staging.dry.test/dir\n  rateLimits:',
      ),
    );
    const result = await certkeeper('--config', 'bad-staging.yaml', 'renew', '--dry-run');
    expect(result.code, explain(result)).toBe(2);
    expect(result.stderr).toMatch(
      /bad-staging\.yaml:\d+:\d+ ca\.staging: expected one of letsencrypt, .* got "ftp:\/\/staging\.dry\.test\/dir"/,
    );
    expect(await exists('data-bad')).toBe(false);
  });
});
