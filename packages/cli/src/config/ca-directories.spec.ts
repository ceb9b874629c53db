import { describe, expect, it } from 'vitest';
import { CA_DIRECTORIES, stagingDirectoryOf } from './ca-directories.js';

describe('stagingDirectoryOf (where --dry-run issues)', () => {
  it('maps each public CA that has a staging directory to it, and a staging directory to itself', () => {
    expect(stagingDirectoryOf(CA_DIRECTORIES.letsencrypt)).toBe(CA_DIRECTORIES['letsencrypt-staging']);
    expect(stagingDirectoryOf(CA_DIRECTORIES.google)).toBe(CA_DIRECTORIES['google-staging']);
    expect(stagingDirectoryOf(CA_DIRECTORIES.buypass)).toBe(CA_DIRECTORIES['buypass-staging']);
    for (const alias of ['letsencrypt-staging', 'google-staging', 'buypass-staging'] as const)
      expect(stagingDirectoryOf(CA_DIRECTORIES[alias])).toBe(CA_DIRECTORIES[alias]);
  });

  it('has none for a CA without one (ZeroSSL) or a directory it does not know (Pebble, a private CA)', () => {
    expect(stagingDirectoryOf(CA_DIRECTORIES.zerossl)).toBeUndefined();
    expect(stagingDirectoryOf('https://127.0.0.1:14000/dir')).toBeUndefined();
    // A production URL spelled differently is not guessed at: only exact directory URLs map.
    expect(stagingDirectoryOf(`${CA_DIRECTORIES.letsencrypt}/`)).toBeUndefined();
  });
});
