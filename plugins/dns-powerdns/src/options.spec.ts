import { readFileSync } from 'node:fs';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';
import { powerdnsPlugin } from './plugin.js';
import { VERSION } from './version.js';

describe('powerdns options', () => {
  it('builds the API base from the URL with or without /api/v1', () => {
    for (const apiUrl of [
      'http://127.0.0.1:8081',
      'http://127.0.0.1:8081/',
      'http://127.0.0.1:8081/api/v1',
    ]) {
      expect(resolveOptions({ apiUrl, apiKey: 'k' }).base.href).toBe(
        'http://127.0.0.1:8081/api/v1/servers/localhost/',
      );
    }
  });

  it('rejects an empty key and a bad URL with typed errors that do not echo the key', () => {
    const attempt = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error as CertkeeperError;
      }
      throw new Error('expected an error');
    };
    const empty = attempt(() => resolveOptions({ apiUrl: 'http://127.0.0.1:8081', apiKey: ' ' }));
    expect(CertkeeperError.isInstance(empty) && empty.code).toBe(ErrorCodes.INVALID_OPTION);
    expect(empty.message).toContain('apiKey');
    const bad = attempt(() => resolveOptions({ apiUrl: 'ftp://x', apiKey: 'very-secret' }));
    expect(bad.message).toContain('apiUrl');
    expect(bad.message).not.toContain('very-secret');
  });

  it('the plugin descriptor carries the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
    expect(powerdnsPlugin).toMatchObject({ name: 'powerdns', version: pkg.version });
  });
});
