import { describe, expect, it } from 'vitest';
import { defaultStoreDirectory } from './default-directory.js';

describe('defaultStoreDirectory', () => {
  it('uses an absolute XDG_DATA_HOME, else ~/.local/share', () => {
    expect(defaultStoreDirectory({ XDG_DATA_HOME: '/data' }, '/home/a')).toBe('/data/certkeeper');
    expect(defaultStoreDirectory({}, '/home/a')).toBe('/home/a/.local/share/certkeeper');
    // The XDG spec: a relative value is invalid and ignored.
    expect(defaultStoreDirectory({ XDG_DATA_HOME: 'data' }, '/home/a')).toBe(
      '/home/a/.local/share/certkeeper',
    );
  });
});
