import { CertkeeperError, ErrorCodes, SecretRedactor } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { parsePluginConfig } from './plugin-config.js';
import type { ConfigSchema } from './plugin-descriptor.js';

const schema: ConfigSchema = {
  type: 'object',
  properties: {
    apiToken: { type: 'string', secret: true },
    mode: { type: 'string', enum: ['default', 'raw'] },
    ttl: { type: 'integer' },
    zoneIds: { type: 'object' },
    strict: { type: 'boolean' },
  },
  required: ['apiToken'],
};
const label = { service: 'Sample', packageName: '@certkeeper/dns-sample' };

function problem(config: unknown): CertkeeperError {
  try {
    parsePluginConfig(schema, config, label);
  } catch (error) {
    if (CertkeeperError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected INVALID_OPTION');
}

describe('parsePluginConfig', () => {
  it('returns a valid configuration as it is', () => {
    const config = { apiToken: 't', mode: 'raw', ttl: 60, zoneIds: { 'a.test': '1' }, strict: true };
    expect(parsePluginConfig(schema, config, label)).toBe(config);
  });

  it('names the key and what it must be, never the value', () => {
    expect(problem({ apiToken: 't', apiKey: 'secret-value' }).message).toContain(
      'Sample provider configuration: "apiKey" must be one of apiToken, mode, ttl, zoneIds, strict.',
    );
    expect(problem({}).message).toContain('"apiToken" must be given');
    expect(problem({ apiToken: '  ' }).message).toContain('"apiToken" must be a non-empty string');
    expect(problem({ apiToken: 't', mode: 'RAW' }).message).toContain('one of "default", "raw"');
    expect(problem({ apiToken: 't', ttl: 1.5 }).message).toContain('whole number');
    expect(problem({ apiToken: 't', zoneIds: { a: 1 } }).message).toContain('object of strings');
    const wrong = problem({ apiToken: 42 });
    expect([wrong.code, wrong.message.includes('42')]).toEqual([ErrorCodes.INVALID_OPTION, false]);
    expect(wrong.hint).toContain('@certkeeper/dns-sample');
  });

  it('registers the secret options with the redactor, even when it then refuses the configuration', () => {
    const redactor = new SecretRedactor();
    const config = { apiToken: 'tok-123456789', mode: 'raw', zoneIds: { 'a.test': 'zone-plain-id' } };
    parsePluginConfig(schema, config, label, redactor);
    expect(redactor.redact('tok-123456789 zone-plain-id raw')).toBe('[redacted] zone-plain-id raw');
    const refused = new SecretRedactor();
    expect(() => parsePluginConfig(schema, { apiToken: 'tok-987654321', ttl: -1 }, label, refused)).toThrow();
    expect(refused.redact('tok-987654321')).toBe('[redacted]');
  });

  it('in a mapping option, registers the values whose names say credential', () => {
    const redactor = new SecretRedactor();
    parsePluginConfig(
      schema,
      { apiToken: 'tok-123456789', zoneIds: { API_TOKEN: 'mapped-secret-1', REGION: 'eu-west-1' } },
      label,
      redactor,
    );
    expect(redactor.redact('mapped-secret-1 eu-west-1')).toBe('[redacted] eu-west-1');
  });
});
