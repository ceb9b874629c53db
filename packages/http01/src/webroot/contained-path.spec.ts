import { describe, expect, it } from 'vitest';
import { isInside } from './contained-path.js';

describe('isInside', () => {
  it.each([
    ['/srv/www', '/srv/www', true],
    ['/srv/www', '/srv/www/.well-known/acme-challenge/x', true],
    ['/srv/www', '/srv/www/..data', true],
    ['/srv/www', '/srv/www-other/x', false],
    ['/srv/www', '/srv', false],
    ['/srv/www', '/etc/passwd', false],
    ['/', '/anything/below', true],
  ])('%s contains %s: %s', (root, path, inside) => {
    expect(isInside(root, path)).toBe(inside);
  });
});
