import { describe, expect, it } from 'vitest';
import { certificateDirectoryName } from './safe-name.js';

describe('certificateDirectoryName', () => {
  it('keeps a plain key as it is', () => {
    expect(certificateDirectoryName('www.example.test')).toBe('www.example.test');
    expect(certificateDirectoryName('api_v2-example.test')).toBe('api_v2-example.test');
  });

  it('turns any other key into a slug and a hash that cannot collide with a plain key or climb out', () => {
    for (const key of ['..', '.hidden', 'Upper.test', 'a/b', '*.example.test', 'x'.repeat(101), '']) {
      const name = certificateDirectoryName(key);
      expect(name, key).toMatch(/^[a-z0-9._-]*~[0-9a-f]{16}$/);
      expect(name).not.toMatch(/^\.\.?(~|$)/);
    }
    expect(certificateDirectoryName('A.test')).not.toBe(certificateDirectoryName('a.test'));
  });
});
