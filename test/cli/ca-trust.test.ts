// The CA is not trusted blindly from the command line either: `ca.trustAnchors` decides which roots an issued chain
// must end at, and a plain-http CA is refused unless `ca.allowInsecureHttp` says it is a local test CA.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('ca-trust');
  ca = await startTestCa(dir);
  await writeFile(join(dir, 'pebble-root.pem'), await ca.pebble.rootCertificatePem());
  // Any other root: the fault proxy's own throwaway CA never issued an ACME certificate.
  await writeFile(join(dir, 'other-root.pem'), ca.proxy.caBundlePem);
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});
beforeEach(() => ca.proxy.clearLog());

const withTrustAnchors = (store: string, anchors: string) =>
  caConfig(ca, store).replace(
    '  rateLimits: letsencrypt\n',
    `  rateLimits: letsencrypt\n  trustAnchors: ${anchors}\n`,
  );

async function issue(name: string, yaml: string, host: string) {
  await writeFile(join(dir, name), yaml);
  return runCli(['issue', host, '--config', name], { cwd: dir });
}

describe('what the CLI trusts of a CA', () => {
  it('issues when the chain ends at the configured trust anchor (Pebble’s root)', async () => {
    const result = await issue(
      'trusted.yaml',
      withTrustAnchors('./data-trusted', './pebble-root.pem'),
      'trusted.cli.test',
    );
    expect(result.code, explain(result)).toBe(0);
  });

  it('refuses a chain to another root: exit 1, the finding named, nothing stored', async () => {
    const result = await issue(
      'untrusted.yaml',
      withTrustAnchors('./data-untrusted', './other-root.pem'),
      'untrusted.cli.test',
    );
    expect(result.code, explain(result)).toBe(1);
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toContain('was refused and not stored');
    expect(output).toContain('not a configured trust anchor');
    expect(output).not.toMatch(/certkeeper bug/i);
    const stored = await readdir(join(dir, 'data-untrusted', 'certificates'), { recursive: true });
    expect(stored.filter((file) => file.endsWith('.pem'))).toEqual([]);
    // The order was placed and finalized: the CA issued, certkeeper refused.
    expect(ca.proxy.count('finalize', 'POST')).toBe(1);
  });

  it('refuses an http:// directory unless ca.allowInsecureHttp allows a local test CA', async () => {
    const plain = caConfig(ca, './data-plain').replace(ca.proxy.directoryUrl, 'http://127.0.0.1:9/dir');
    const refused = await issue('plain.yaml', plain, 'plain.cli.test');
    expect(refused.code, explain(refused)).toBe(2);
    expect(refused.stderr).toContain('ca.allowInsecureHttp');
    expect(ca.proxy.log).toEqual([]);
    // Allowed, the http URL reaches the client (which then finds nothing listening there: a network error).
    const allowed = await issue(
      'plain-allowed.yaml',
      plain.replace('  rateLimits: letsencrypt\n', '  rateLimits: letsencrypt\n  allowInsecureHttp: true\n'),
      'plain.cli.test',
    );
    expect(allowed.code, explain(allowed)).toBe(1);
    expect(`${allowed.stdout}${allowed.stderr}`).toContain('CERTKEEPER_ERR_NETWORK');
    expect(`${allowed.stdout}${allowed.stderr}`).not.toContain('CERTKEEPER_ERR_INSECURE_URL');
  });

  it('an untrusted CA TLS certificate is a local fault: exit 2, no backoff; with the right bundle the next run issues at once', async () => {
    const right = caConfig(ca, './data-bundle');
    // Pebble's root did not sign the proxy's TLS certificate: the CA's HTTPS is not trusted with it.
    const wrong = right.replace(`caBundle: ${ca.caBundleFile}`, `caBundle: ${join(dir, 'pebble-root.pem')}`);
    expect(wrong).not.toBe(right);
    const backoffs = async () =>
      (await readdir(join(dir, 'data-bundle', 'backoff')).catch(() => [] as string[])).filter((f) =>
        f.endsWith('.json'),
      );

    // Before any account exists: registration is what fails.
    const first = await issue('bundle-wrong.yaml', wrong, 'bundle.cli.test');
    expect(first.code, explain(first)).toBe(2);
    expect(`${first.stdout}${first.stderr}`).toMatch(/ca\.caBundle|--ca-bundle/);
    expect(await backoffs()).toEqual([]);
    const fixed = await issue('bundle-right.yaml', right, 'bundle.cli.test');
    expect(fixed.code, explain(fixed)).toBe(0);
    expect(fixed.stdout).toMatch(/^bundle\.cli\.test: issued/m);

    // With the account registered the order itself fails to connect: still local, still no backoff.
    const again = await runCli(['issue', '--force', 'bundle.cli.test', '--config', 'bundle-wrong.yaml'], {
      cwd: dir,
    });
    expect(again.code, explain(again)).toBe(2);
    expect(await backoffs()).toEqual([]);
    const status = await runCli(['status', '--config', 'bundle-right.yaml'], { cwd: dir });
    expect(status.stdout).not.toContain('backing off');
    ca.proxy.clearLog();
    const renewed = await runCli(['issue', '--force', 'bundle.cli.test', '--config', 'bundle-right.yaml'], {
      cwd: dir,
    });
    expect(renewed.code, explain(renewed)).toBe(0);
    expect(renewed.stdout).toMatch(/^bundle\.cli\.test: renewed/m);
    expect(renewed.stdout).not.toContain('deferred');
    expect(ca.proxy.count('newOrder', 'POST')).toBe(1);
  });
});
