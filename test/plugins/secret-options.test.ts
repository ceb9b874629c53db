// Every first-party DNS plugin, created from its descriptor as the CLI and a config-driven application create it:
// the value of each option the descriptor calls secret (`secret: true`, or a credential's name) is registered with
// the process's redactor by `create` itself — no caller has to remember. The plugins that fall back to an environment
// variable for their token register that value too, and the acme-dns plugin each account password inside its file.
// Driven by the descriptors: a plugin that adds a secret option is covered without touching this file.

import { processSecretRedactor, REDACTED } from '@certkeeper/core';
import { isSecretConfigOption } from '@certkeeper/dns';
import { acmeDnsPlugin } from '@certkeeper/dns-acme-dns';
import { cloudflarePlugin } from '@certkeeper/dns-cloudflare';
import { desec, desecPlugin } from '@certkeeper/dns-desec';
import { digitalocean, digitaloceanPlugin } from '@certkeeper/dns-digitalocean';
import { execPlugin } from '@certkeeper/dns-exec';
import { gandi, gandiPlugin } from '@certkeeper/dns-gandi';
import { hetzner, hetznerPlugin } from '@certkeeper/dns-hetzner';
import { httpreqPlugin } from '@certkeeper/dns-httpreq';
import { powerdnsPlugin } from '@certkeeper/dns-powerdns';
import { rfc2136Plugin } from '@certkeeper/dns-rfc2136';
import { route53Plugin } from '@certkeeper/dns-route53';
import { afterEach, describe, expect, it } from 'vitest';

type Descriptor = { name: string; configSchema: unknown; create(config: never): unknown };

/** Each plugin with the options it needs besides its secrets. */
const PLUGINS: ReadonlyArray<readonly [Descriptor, Record<string, unknown>]> = [
  [powerdnsPlugin, { apiUrl: 'http://127.0.0.1:1' }],
  [cloudflarePlugin, {}],
  [route53Plugin, { accessKeyId: 'AKIDCERTKEEPERTEST', region: 'us-east-1' }],
  [rfc2136Plugin, { server: '127.0.0.1:1', keyName: 'ck-key' }],
  [execPlugin, { program: '/bin/true' }],
  [desecPlugin, {}],
  [hetznerPlugin, {}],
  [digitaloceanPlugin, {}],
  [gandiPlugin, {}],
  [httpreqPlugin, { endpoint: 'http://127.0.0.1:1', username: 'ck-user' }],
  [acmeDnsPlugin, { apiUrl: 'http://127.0.0.1:1' }],
];

let serial = 0;
/** A value no other test registered: base64 (TSIG wants it), long enough to be registered. */
function unique(plugin: string, key: string): string {
  return Buffer.from(`${plugin}-${key}-secret-${++serial}-${process.pid}`).toString('base64');
}

/** The value to give a secret option; for acme-dns the accounts file, whose password is the real credential. */
function secretValue(plugin: string, key: string): { value: string; alsoSecret?: string } {
  if (plugin === 'acme-dns' && key === 'accounts') {
    const password = unique(plugin, 'password');
    const account = {
      username: 'c4c0b5a6-1f0b-4b7e-9a38-2f7f6d2f9e11',
      password,
      fulldomain: 'c4c0b5a6.auth.acme.test',
      subdomain: 'c4c0b5a6',
    };
    return { value: JSON.stringify({ 'example.test': account }), alsoSecret: password };
  }
  return { value: unique(plugin, key) };
}

const redacted = (value: string) => processSecretRedactor().redact(`<${value}>`) === `<${REDACTED}>`;

describe('each plugin registers the values of its secret options when created from its descriptor', () => {
  it('every first-party plugin is here (11), and each has a secret option', () => {
    expect(PLUGINS.map(([plugin]) => plugin.name).sort()).toEqual(
      [
        'acme-dns',
        'cloudflare',
        'desec',
        'digitalocean',
        'exec',
        'gandi',
        'hetzner',
        'httpreq',
        'powerdns',
        'rfc2136',
        'route53',
      ].sort(),
    );
  });

  it.each(PLUGINS.filter(([plugin]) => plugin.name !== 'exec'))('%s', async (plugin, base) => {
    const schema = plugin.configSchema as { properties: Record<string, { type: string; secret?: boolean }> };
    const secrets = Object.entries(schema.properties).filter(
      ([key, option]) => option.type === 'string' && isSecretConfigOption(key, option),
    );
    expect(secrets.length, `${plugin.name} marks no secret option`).toBeGreaterThan(0);
    const config: Record<string, unknown> = { ...base };
    const expected: string[] = [];
    for (const [key] of secrets) {
      const { value, alsoSecret } = secretValue(plugin.name, key);
      config[key] = value;
      expected.push(value, ...(alsoSecret ? [alsoSecret] : []));
    }
    for (const value of expected) expect(redacted(value), `${plugin.name}: known before create`).toBe(false);
    await plugin.create(config as never);
    for (const value of expected) expect(redacted(value), `${plugin.name}: registered by create`).toBe(true);
  });

  it('exec: values of its env mapping whose names say credential (the hook’s environment)', async () => {
    const token = unique('exec', 'HOOK_API_TOKEN');
    await execPlugin.create({
      program: '/bin/true',
      env: { HOOK_API_TOKEN: token, HOOK_REGION: 'eu-west-1' },
    });
    expect(redacted(token)).toBe(true);
    expect(redacted('eu-west-1')).toBe(false);
  });
});

describe('a token taken from the environment is registered too', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of [
      'DESEC_TOKEN',
      'HETZNER_API_TOKEN',
      'HCLOUD_TOKEN',
      'DIGITALOCEAN_TOKEN',
      'GANDI_PAT',
    ])
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
  });

  it.each([
    ['desec', 'DESEC_TOKEN', () => desec()],
    ['hetzner', 'HETZNER_API_TOKEN', () => hetzner()],
    ['hetzner', 'HCLOUD_TOKEN', () => hetzner()],
    ['digitalocean', 'DIGITALOCEAN_TOKEN', () => digitalocean()],
    ['gandi', 'GANDI_PAT', () => gandi()],
  ] as const)('%s from $%s', (plugin, variable, create) => {
    const token = unique(plugin, variable);
    process.env[variable] = token;
    create();
    expect(redacted(token)).toBe(true);
  });
});
