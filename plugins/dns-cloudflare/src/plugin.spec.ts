import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { isZoneLister } from '@certkeeper/dns';
import { describe, expect, it } from 'vitest';
import { cloudflare } from './index.js';
import { cloudflarePlugin, parseCloudflareConfig } from './plugin.js';

function errorOf(run: () => unknown): CertkeeperError {
  try {
    run();
  } catch (error) {
    if (CertkeeperError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a CertkeeperError');
}

describe('cloudflare plugin descriptor', () => {
  it('creates a provider from a config object without touching the network', async () => {
    expect(cloudflarePlugin.name).toBe('cloudflare');
    const provider = await cloudflarePlugin.create({
      apiToken: 'token',
      baseUrl: 'http://127.0.0.1:9/client/v4',
      zoneIds: { 'example.test': 'abc' },
    });
    expect(isZoneLister(provider)).toBe(true);
  });

  it('rejects unknown keys and wrong types with INVALID_OPTION, never echoing the token', () => {
    expect(errorOf(() => parseCloudflareConfig({ apiKey: 'x' })).message).toContain('"apiKey"');
    const wrong = errorOf(() => parseCloudflareConfig({ apiToken: 42 }));
    expect(wrong.code).toBe(ErrorCodes.INVALID_OPTION);
    expect(errorOf(() => parseCloudflareConfig({ maxRetries: -1 })).message).toContain('"maxRetries"');
  });

  it('refuses to start without a token rather than falling back to a global API key', () => {
    const saved = process.env.CLOUDFLARE_API_TOKEN;
    delete process.env.CLOUDFLARE_API_TOKEN;
    try {
      expect(errorOf(() => cloudflare({})).code).toBe(ErrorCodes.INVALID_OPTION);
    } finally {
      if (saved !== undefined) process.env.CLOUDFLARE_API_TOKEN = saved;
    }
  });
});
