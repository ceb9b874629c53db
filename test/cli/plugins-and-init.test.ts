// `certkeeper plugins` lists the DNS plugins from their descriptors; `certkeeper init` writes a commented config
// that the CLI then reads back. No CA is needed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIRST_PARTY_PLUGINS } from 'certkeeper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, removeWorkdirs, runCli, workdir } from './support/cli-harness.js';

let dir: string;
beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('plugins-init');
}, 120_000);
afterAll(() => removeWorkdirs());

describe('certkeeper plugins', () => {
  it('lists every first-party plugin with its options, required and secret ones marked, and their variables', async () => {
    const result = await runCli(['plugins', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const { plugins } = JSON.parse(result.stdout) as {
      plugins: { name: string; package: string; installed: boolean; options?: Record<string, unknown>[] }[];
    };
    expect(plugins.map((p) => [p.name, p.package, p.installed])).toEqual(
      FIRST_PARTY_PLUGINS.map((name) => [name, `@certkeeper/dns-${name}`, true]),
    );
    expect(plugins.slice(0, 5).map((p) => p.name)).toEqual([
      'rfc2136',
      'exec',
      'powerdns',
      'route53',
      'cloudflare',
    ]);
    const rfc2136 = plugins[0]!.options!;
    expect(rfc2136).toContainEqual(
      expect.objectContaining({
        key: 'server',
        type: 'string',
        required: true,
        env: 'CERTKEEPER_RFC2136_SERVER',
      }),
    );
    expect(rfc2136).toContainEqual(
      expect.objectContaining({ key: 'keySecret', secret: true, env: 'CERTKEEPER_RFC2136_KEY_SECRET' }),
    );
    const text = await runCli(['plugins'], { cwd: dir });
    expect(text.stdout).toMatch(/^rfc2136 {2}@certkeeper\/dns-rfc2136 \d+\.\d+\.\d+$/m);
    expect(text.stdout).toContain('    keySecret (string, secret) — TSIG secret');
    // What each is for and how it authenticates, from the descriptor's `about` (docs/providers.md shows the same).
    expect(text.stdout).toMatch(/^ {2}auth: A TSIG key/m);
    expect(plugins.every((plugin) => (plugin as { about?: { auth?: string } }).about?.auth)).toBe(true);
  });

  it('adds a plugin the config names, and says how to install it when it is missing', async () => {
    const result = await runCli(['plugins'], {
      cwd: dir,
      env: { CERTKEEPER_CONFIG: join(import.meta.dirname, 'fixtures/third-party-plugin.yaml') },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^@example\/certkeeper-dns-acme-dns {2}not installed \(npm install -g @example\/certkeeper-dns-acme-dns\)$/m,
    );
  });
});

describe('certkeeper init', () => {
  it('writes a commented config the CLI reads back, and never overwrites one without --force', async () => {
    const first = await runCli(['init'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const written = await readFile(join(dir, 'certkeeper.yaml'), 'utf8');
    expect(written).toContain('directory: letsencrypt-staging');
    expect(written).toContain('#   hmacKey: { env: CERTKEEPER_EAB_HMAC_KEY }');
    expect(written).toContain('#  - names: [example.com, www.example.com]');
    // Read back: the staging CA and no certificate (the example is commented out), with nothing sent anywhere.
    const status = await runCli(['status', '--json', '--data-dir', 'data'], { cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      directoryUrl: 'https://acme-staging-v02.api.letsencrypt.org/directory',
      certificates: [],
    });
    // A renew right after init orders nothing (the placeholder is not a certificate) and says what to add.
    const renew = await runCli(['renew', '--data-dir', 'data'], { cwd: dir });
    expect(renew.code, renew.stderr).toBe(0);
    expect(renew.stdout).toMatch(/nothing to renew: no certificates are configured in \S+certkeeper\.yaml/);
    expect(renew.stdout).toContain('Add one under certificates:');
    expect(renew.stdout).toContain('`certkeeper issue <names…>`');
    const again = await runCli(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; it was left as it is');
    expect(await readFile(join(dir, 'certkeeper.yaml'), 'utf8')).toBe(written);
  });
});
