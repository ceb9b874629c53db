import { describe, expect, it } from 'vitest';
import { compileCacheDirectory } from './compile-cache.js';

describe('compileCacheDirectory', () => {
  it('uses $XDG_CACHE_HOME when it is absolute, else ~/.cache', () => {
    const home = () => '/home/ops';
    expect(compileCacheDirectory({ XDG_CACHE_HOME: '/var/cache/me' }, home)).toBe(
      '/var/cache/me/certkeeper/compile-cache',
    );
    // The XDG spec says a relative value is invalid and must be ignored.
    expect(compileCacheDirectory({ XDG_CACHE_HOME: 'rel' }, home)).toBe(
      '/home/ops/.cache/certkeeper/compile-cache',
    );
    expect(compileCacheDirectory({}, home)).toBe('/home/ops/.cache/certkeeper/compile-cache');
  });
});
