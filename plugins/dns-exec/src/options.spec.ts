import { readFileSync } from 'node:fs';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';
import { execPlugin } from './plugin.js';
import { VERSION } from './version.js';

describe('exec options', () => {
  it('defaults to lego behaviour: TTL argument, inherited environment, one run at a time, 60 s', () => {
    expect(resolveOptions({ program: '/usr/local/bin/hook' })).toMatchObject({
      programArgs: [],
      ttlArgument: true,
      list: false,
      inheritEnv: true,
      concurrency: 1,
      timeoutMs: 60_000,
      stderrLimit: 2048,
    });
  });

  it('rejects an empty program and bad numbers with the option named', () => {
    for (const [options, name] of [
      [{ program: '' }, 'program'],
      [{ program: 'x', timeoutMs: 0 }, 'timeoutMs'],
      [{ program: 'x', concurrency: 1.5 }, 'concurrency'],
    ] as const) {
      let error: unknown;
      try {
        resolveOptions(options);
      } catch (caught) {
        error = caught;
      }
      expect(CertkeeperError.isInstance(error) && error.code).toBe(ErrorCodes.INVALID_OPTION);
      expect((error as Error).message).toContain(name);
    }
  });

  it('the plugin descriptor carries the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
    expect(execPlugin).toMatchObject({ name: 'exec', version: pkg.version });
  });
});
