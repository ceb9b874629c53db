import { readFileSync } from 'node:fs';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';
import { rfc2136Plugin } from './plugin.js';
import { VERSION } from './version.js';

const secret = Buffer.alloc(32, 7).toString('base64');

function problem(run: () => unknown): CertkeeperError {
  try {
    run();
  } catch (error) {
    if (CertkeeperError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a CertkeeperError');
}

describe('rfc2136 options', () => {
  it('defaults to hmac-sha256 over UDP, 5 s, fudge 300', () => {
    const resolved = resolveOptions({ server: '192.0.2.53', tsig: { name: 'Acme-Key.', secret } });
    expect(resolved.server).toEqual({ host: '192.0.2.53', port: 53 });
    expect(resolved.key?.name).toBe('acme-key');
    expect(resolved.key?.algorithm.wireName).toBe('hmac-sha256');
    expect(resolved).toMatchObject({ protocol: 'udp', timeoutMs: 5000, fudgeSeconds: 300 });
  });

  it('rejects a secret that is not base64 without printing it', () => {
    const error = problem(() =>
      resolveOptions({ server: '192.0.2.53', tsig: { name: 'k', secret: 'not base64!' } }),
    );
    expect(error.code).toBe(ErrorCodes.INVALID_OPTION);
    expect(error.message).toContain('tsig.secret of key "k"');
    expect(error.message).not.toContain('not base64!');
  });

  it('rejects unknown algorithms, protocols and host names with the option named', () => {
    expect(
      problem(() =>
        resolveOptions({
          server: '192.0.2.53',
          tsig: { name: 'k', secret, algorithm: 'hmac-sha3' as 'hmac-sha1' },
        }),
      ).message,
    ).toContain('tsig.algorithm');
    expect(
      problem(() => resolveOptions({ server: '192.0.2.53', protocol: 'quic' as 'udp' })).message,
    ).toContain('protocol');
    expect(problem(() => resolveOptions({ server: 'ns1.example.test' })).code).toBe(
      ErrorCodes.INVALID_OPTION,
    );
  });

  it('the plugin descriptor carries the package version and builds a provider without touching the network', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
    expect(rfc2136Plugin).toMatchObject({ name: 'rfc2136', version: pkg.version });
    const provider = await rfc2136Plugin.create({ server: '192.0.2.53', keyName: 'k', keySecret: secret });
    expect(typeof provider.createRecord).toBe('function');
  });
});

describe('rfc2136 plugin configuration errors', () => {
  it("name the plugin's own keys (keyName, keySecret, keyAlgorithm), not the library's", () => {
    const create = (config: Record<string, unknown>) => () =>
      rfc2136Plugin.create({ server: '127.0.0.1', ...config } as never);
    expect(problem(create({ keySecret: secret })).message).toMatch(/^rfc2136 option keyName is empty/);
    expect(problem(create({ keyName: 'k.', keySecret: ' ' })).message).toMatch(/option keySecret is empty/);
    const algorithm = problem(create({ keyName: 'k.', keySecret: secret, keyAlgorithm: 'md4' }));
    expect(algorithm.code).toBe(ErrorCodes.INVALID_OPTION);
    expect(algorithm.message).toMatch(/option keyAlgorithm "md4" is not one of hmac-/);
    expect(algorithm.message).not.toContain('tsig.');
  });
});
