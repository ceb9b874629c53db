import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { isChangeBatcher, isZoneLister } from '@certkeeper/dns';
import { describe, expect, it } from 'vitest';
import { parseRoute53Config, route53Plugin } from './plugin.js';

function errorOf(run: () => unknown): CertkeeperError {
  try {
    run();
  } catch (error) {
    if (CertkeeperError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a CertkeeperError');
}

describe('route53 plugin descriptor', () => {
  it('describes every option and creates a provider without touching the network', async () => {
    expect(route53Plugin.name).toBe('route53');
    expect(
      Object.keys(
        typeof route53Plugin.configSchema === 'object' ? route53Plugin.configSchema.properties : {},
      ),
    ).toContain('hostedZoneIds');
    const provider = await route53Plugin.create({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    expect(isZoneLister(provider) && isChangeBatcher(provider)).toBe(true);
  });

  it('turns flat static credentials into an SDK credential object', () => {
    expect(
      parseRoute53Config({
        accessKeyId: 'AKID',
        secretAccessKey: 'secret',
        sessionToken: 'tok',
        waitForSync: false,
      }),
    ).toEqual({
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'tok' },
      waitForSync: false,
    });
    expect(parseRoute53Config(undefined)).toEqual({});
  });

  it('rejects unknown keys, wrong types and half a key pair with INVALID_OPTION, never echoing values', () => {
    const unknown = errorOf(() => parseRoute53Config({ acessKeyId: 'x' }));
    expect(unknown.code).toBe(ErrorCodes.INVALID_OPTION);
    expect(unknown.message).toContain('"acessKeyId"');
    expect(errorOf(() => parseRoute53Config({ maxAttempts: 0 })).message).toContain('"maxAttempts"');
    expect(errorOf(() => parseRoute53Config({ hostedZoneIds: { 'example.test': 5 } })).message).toContain(
      '"hostedZoneIds"',
    );
    const half = errorOf(() => parseRoute53Config({ secretAccessKey: 'very-secret-value' }));
    expect(half.message).toContain('given together');
    expect(half.message).not.toContain('very-secret-value');
  });
});
