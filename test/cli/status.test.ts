// `status` at 80 columns (a snapshot of a store filled by real Pebble issuances, volatile values masked), every CA
// and account of the store, `status --check` for monitoring, `certificates` (alias `list`), and the store's
// `live/<primary name>/` links following issuance and renewal.
import { createPublicKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
  ensureCliBuilt,
  explain,
  removeWorkdirs,
  runCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

let dir: string;
let ca: TestCa;
const env = { COLUMNS: '80' };
const certkeeper = (...args: string[]) => runCli(args, { cwd: dir, env });

interface StatusJson {
  directoryUrl: string;
  certificates: {
    key: string;
    identifiers: string[];
    state: string;
    directoryUrl: string;
    accountUrl: string;
    serialNumberHex: string;
    files?: { role: string; directory: string; files: string[] }[];
    deployment?: { ok: boolean };
  }[];
  check?: { exitCode: number; summary: string };
}

async function statusJson(...args: string[]): Promise<StatusJson> {
  const result = await certkeeper('status', '--json', ...args);
  expect(result.code, explain(result)).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('status');
  ca = await startTestCa(dir);
  await writeFile(
    join(dir, 'certkeeper.yaml'),
    caConfig(
      ca,
      './data',
      `certificates:
  - names: [status.test, www.status.test, api.status.test, mail.status.test, shop.status.test, blog.status.test]
    keyType: ec384
    output: ./out/a-rather-long-output-directory-name/for-the-status-test
    deployHook: [sh, -c, 'exit 0']
  - names: [broken.status.test]
    deployHook: [sh, -c, 'echo the web server did not reload >&2; exit 3']
`,
    ),
  );
  // The same Pebble reached without the proxy: another directory URL, so another CA to the store.
  await writeFile(join(dir, 'second-ca.pem'), ca.pebble.caBundlePem);
  await writeFile(
    join(dir, 'second.yaml'),
    `ca:
  directory: ${ca.pebble.directoryUrl}
  caBundle: ./second-ca.pem
account:
  email: ops@example.test
  agreeTos: true
store:
  directory: ./data
solvers:
  - type: http-01-standalone
    listen: 127.0.0.1:${ca.httpPort}
`,
  );
  const renew = await certkeeper('renew');
  // The broken hook fails its deployment: exit 1, both certificates stored.
  expect(renew.code, explain(renew)).toBe(1);
  const second = await runCli(['issue', '--config', 'second.yaml', 'status.test'], { cwd: dir, env });
  expect(second.code, explain(second)).toBe(0);
}, 180_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

/** The parts of `status` that change from run to run (times, ports, serials, hashes, ids) masked. */
function masked(text: string): string {
  return text
    .replaceAll(ca.pebble.directoryUrl, 'https://<pebble>/dir')
    .replaceAll(ca.proxy.directoryUrl, 'https://<proxy>/dir')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\dZ/g, '<time>')
    .replace(/\((in|\d+) [\d.]+ ?(d|h|min|s)( ago)?\)/g, '(<distance>)')
    .replace(/in \d+ (d|h|min|s)/g, 'in <n> $1')
    .replace(/[\d.]+-day lifetime/g, '<n>-day lifetime')
    .replace(/Pebble Intermediate CA [0-9a-f]+/g, 'Pebble Intermediate CA <id>')
    .replace(/my-account\/[0-9a-f]+/g, 'my-account/<id>')
    .replace(/127\.0\.0\.1([:_])\d+/g, '127.0.0.1$1<port>')
    .replace(/^( {2}store +)\S+$/gm, '$1<store directory, elided>');
}

describe('certkeeper status, status --check, certificates and live/ against Pebble', () => {
  it('status fits 80 columns: one block per certificate of every CA in the store, with files, key type and deployment', async () => {
    const result = await certkeeper('status');
    expect(result.code, explain(result)).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    // Both CAs, though the config names one and no --ca was given.
    expect(result.stdout).toContain(`CA ${ca.proxy.directoryUrl}`);
    expect(result.stdout).toContain(`CA ${ca.pebble.directoryUrl}`);
    // The long store directory is elided in the middle, not wrapped.
    expect(lines.find((line) => line.startsWith('  store'))).toContain('…');
    expect(masked(result.stdout)).toMatchSnapshot();
    console.log(JSON.stringify({ figure: 'certkeeper status, 3 certificates at 2 CAs', ms: result.ms }));
  });

  it('status --data-dir without a config or --ca lists every CA; --ca narrows to one; --wide is the table', async () => {
    // Elsewhere, so that no ./certkeeper.yaml is read: the store alone.
    const bare = join(dir, 'bare');
    await mkdir(bare, { recursive: true });
    const all = await runCli(['status', '--data-dir', '../data'], { cwd: bare, env });
    expect(all.code, explain(all)).toBe(0);
    expect(all.stdout).not.toContain('No certificates');
    expect(all.stdout.match(/^status\.test, www\.status\.test/gm)).toHaveLength(1);
    expect(all.stdout.match(/^status\.test +valid$/gm)).toHaveLength(1);
    expect(all.stdout).toMatch(/^broken\.status\.test +valid$/m);

    const one = await runCli(
      [
        'status',
        '--data-dir',
        '../data',
        '--ca',
        ca.pebble.directoryUrl,
        '--ca-bundle',
        '../second-ca.pem',
        '--json',
      ],
      { cwd: bare, env },
    );
    const narrowed = JSON.parse(one.stdout) as StatusJson;
    expect(narrowed.certificates.map((c) => [c.identifiers, c.directoryUrl])).toEqual([
      [['status.test'], ca.pebble.directoryUrl],
    ]);

    // --account names one account at every CA: none is called so here, so only the configured certificates
    // (not issued for it) remain.
    const nobody = JSON.parse(
      (await certkeeper('status', '--json', '--account', 'nobody')).stdout,
    ) as StatusJson;
    expect(nobody.certificates.map((c) => [c.identifiers[0], c.state])).toEqual([
      ['status.test', 'missing'],
      ['broken.status.test', 'missing'],
    ]);

    const wide = await certkeeper('status', '--wide');
    expect(wide.stdout).toMatch(/^NAMES +STATE +ISSUER +EXPIRES/m);
    expect(Math.max(...wide.stdout.split('\n').map((line) => line.length))).toBeGreaterThan(80);
  });

  it('status --json keeps its shape and adds each certificate’s CA, account, files and deployment', async () => {
    const json = await statusJson();
    expect(json.directoryUrl).toBe(ca.proxy.directoryUrl);
    const [main, broken, second] = json.certificates;
    expect(main!.identifiers[0]).toBe('status.test');
    expect(main!.files!.map((set) => set.role)).toEqual(['live', 'store', 'output']);
    expect(main!.files![0]!.directory).toBe(join(dir, 'data/live/status.test'));
    expect(broken!.deployment).toMatchObject({ ok: false });
    expect(second!.directoryUrl).toBe(ca.pebble.directoryUrl);
    expect(second!.accountUrl).not.toBe(main!.accountUrl);
    // Two CAs hold status.test: the first keeps the plain name, the other is told apart by its CA.
    expect(second!.files![0]!.directory).toMatch(/\/data\/live\/status\.test~127\.0\.0\.1_\d+$/);
  });

  it('status --check: one PROBLEM line and exit 1 while a deployment fails; OK and exit 0 for a healthy store', async () => {
    const failing = await certkeeper('status', '--check');
    expect(failing.code, explain(failing)).toBe(1);
    expect(failing.stdout).toBe('PROBLEM: 1 of 3 certificates: broken.status.test deploy failed\n');
    const json = JSON.parse((await certkeeper('status', '--check', '--json')).stdout) as StatusJson;
    expect(json.check).toMatchObject({ exitCode: 1, summary: expect.stringMatching(/^PROBLEM: /) });

    const healthy = await runCli(
      ['status', '--check', '--config', 'second.yaml', '--ca', ca.pebble.directoryUrl],
      {
        cwd: dir,
        env,
      },
    );
    expect(healthy.code, explain(healthy)).toBe(0);
    expect(healthy.stdout).toBe('OK: 1 certificate valid, renewing on time and deployed\n');

    const empty = await runCli(['status', '--check', '--config', 'second.yaml', '--data-dir', 'empty'], {
      cwd: dir,
      env,
    });
    expect(empty.code).toBe(1);
    expect(empty.stdout).toContain('PROBLEM: no certificates');

    const usage = await certkeeper('status', '--check', '--no-such-flag');
    expect(usage.code).toBe(2);
  });

  it('certificates (and its alias list) prints names, expiry and the live paths, whole', async () => {
    const result = await certkeeper('certificates');
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout).toContain('Certificate Name: status.test\n');
    expect(result.stdout).toContain(
      '  Names: status.test www.status.test api.status.test mail.status.test shop.status.test blog.status.test',
    );
    expect(result.stdout).toMatch(/Expiry Date: \d{4}-\d\d-\d\d \d\d:\d\dZ \(VALID: expires in \d+ d\)/);
    expect(result.stdout).toContain(`Certificate Path: ${join(dir, 'data/live/status.test/fullchain.pem')}`);
    expect(result.stdout).toContain(`Private Key Path: ${join(dir, 'data/live/status.test/privkey.pem')}`);
    expect(result.stdout).toMatch(/Certificate Name: status\.test~127\.0\.0\.1_\d+\n/);
    expect(result.stdout).toContain('Certificate Name: broken.status.test');
    const list = await certkeeper('list');
    expect(list.stdout).toBe(result.stdout);
  });

  it('live/<name> holds the stored certificate and its key, and follows a renewal with no relinking', async () => {
    const live = join(dir, 'data/live/status.test');
    const before = await liveMatchesStore(live, 'status.test');
    const linkBefore = await readlink(join(live, 'current'));

    const renewed = await certkeeper('renew', '--force');
    expect(renewed.code, explain(renewed)).toBe(1); // the broken hook again
    const after = await liveMatchesStore(live, 'status.test');
    expect(after).not.toBe(before);
    // Renewal switched the store's own link; live/ still points through it, unchanged.
    expect(await readlink(join(live, 'current'))).toBe(linkBefore);
  });

  it('forget removes the certificate’s live/ name; the other CA’s keeps its own', async () => {
    const json = await statusJson();
    const second = json.certificates.find((c) => c.directoryUrl === ca.pebble.directoryUrl)!;
    const secondLive = second.files!.find((set) => set.role === 'live')!.directory;
    const forgot = await runCli(['forget', '--config', 'second.yaml', 'status.test'], { cwd: dir, env });
    expect(forgot.code, explain(forgot)).toBe(0);
    await expect(readlink(join(secondLive, 'current'))).rejects.toThrow(/ENOENT/);
    await liveMatchesStore(join(dir, 'data/live/status.test'), 'status.test');
  });
});

/** The serial live/<name> serves, after checking it is the stored certificate and its key is the stored key. */
async function liveMatchesStore(live: string, primary: string): Promise<string> {
  const json = await statusJson('--ca', ca.proxy.directoryUrl);
  const stored = json.certificates.find((c) => c.identifiers[0] === primary)!;
  const store = stored.files!.find((set) => set.role === 'store')!.directory;
  for (const file of ['fullchain.pem', 'privkey.pem', 'cert.pem', 'chain.pem'])
    expect(await readFile(join(live, file), 'utf8'), file).toBe(await readFile(join(store, file), 'utf8'));
  const certificate = new X509Certificate(await readFile(join(live, 'cert.pem')));
  expect(certificate.serialNumber.toLowerCase().replace(/^0+/, '')).toBe(
    stored.serialNumberHex.toLowerCase().replace(/^0+/, ''),
  );
  const key = createPublicKey(await readFile(join(live, 'privkey.pem'), 'utf8'));
  expect(certificate.publicKey.equals(key)).toBe(true);
  return stored.serialNumberHex;
}
