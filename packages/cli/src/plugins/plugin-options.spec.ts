import { SecretRedactor } from '@certkeeper/core';
import { defineDnsProviderPlugin, InMemoryDnsProvider } from '@certkeeper/dns';
import { describe, expect, it } from 'vitest';
import {
  createProvider,
  isSecretOption,
  optionEnvName,
  optionsFromEnvironment,
  PluginOptionsError,
} from './plugin-options.js';

const plugin = defineDnsProviderPlugin<Record<string, unknown>>({
  name: 'sample',
  version: '1.0.0',
  configSchema: {
    type: 'object',
    properties: {
      server: { type: 'string', description: 'Server address.' },
      apiToken: { type: 'string', description: 'API token.' },
      timeoutMs: { type: 'number' },
      verbose: { type: 'boolean' },
    },
    required: ['server'],
  },
  create: () => new InMemoryDnsProvider({ zones: ['sample.test'] }),
});

const context = (env: NodeJS.ProcessEnv = {}) => {
  const warnings: string[] = [];
  const redactor = new SecretRedactor();
  return {
    warnings,
    redactor,
    context: {
      directory: '/',
      env,
      redactor,
      warn: (m: string) => warnings.push(m),
      where: (key?: string) => `F:1:1 ${key}`,
    },
  };
};

describe('plugin options', () => {
  it('names option variables the way lego users expect', () => {
    expect(optionEnvName('rfc2136', 'keySecret')).toBe('CERTKEEPER_RFC2136_KEY_SECRET');
    expect(optionEnvName('route53', 'hostedZoneIds')).toBe('CERTKEEPER_ROUTE53_HOSTED_ZONE_IDS');
  });

  it('knows secrets by name or description', () => {
    expect(isSecretOption('apiToken')).toBe(true);
    expect(isSecretOption('keySecret')).toBe(true);
    expect(isSecretOption('password', '')).toBe(true);
    expect(isSecretOption('key', 'HMAC key. Secret.')).toBe(true);
    expect(isSecretOption('keyName', 'TSIG key name')).toBe(false);
  });

  it('reports unknown, missing and mistyped options together', async () => {
    const { context: c } = context();
    const error = await createProvider(plugin, { sever: 'x', timeoutMs: 'soon' }, c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginOptionsError);
    expect((error as PluginOptionsError).problems).toEqual([
      {
        key: 'sever',
        unknown: true,
        message: 'unknown option; sample accepts server, apiToken, timeoutMs, verbose',
      },
      { key: 'timeoutMs', message: 'expected number, got string' },
      { key: 'server', message: 'missing; expected string (Server address.)' },
    ]);
  });

  it('resolves secret references, and warns about inline secrets without repeating them', async () => {
    const { context: c, warnings, redactor } = context({ TOKEN: 'env-t0ken' });
    await createProvider(plugin, { server: 'x', apiToken: { env: 'TOKEN' } }, c);
    expect(warnings).toEqual([]);
    await createProvider(plugin, { server: 'x', apiToken: 'inline-t0ken' }, c);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('F:1:1 apiToken: the sample option apiToken is a secret written inline');
    expect(warnings[0]).not.toContain('inline-t0ken');
    // Both values are now known to the redactor, the plain option is not.
    expect(redactor.redact('env-t0ken inline-t0ken x')).toBe('[redacted] [redacted] x');
  });

  it('reads options for --dns from CERTKEEPER_<PLUGIN>_* variables, typed, secrets by reference', () => {
    expect(
      optionsFromEnvironment(plugin, {
        CERTKEEPER_SAMPLE_SERVER: '192.0.2.1',
        CERTKEEPER_SAMPLE_TIMEOUT_MS: '1500',
        CERTKEEPER_SAMPLE_VERBOSE: 'true',
      }),
    ).toEqual({ server: { env: 'CERTKEEPER_SAMPLE_SERVER' }, timeoutMs: 1500, verbose: true });
  });
});
