import { describe, expect, it } from 'vitest';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { requireHttpsUrl } from './https-only.js';

describe('requireHttpsUrl', () => {
  it('passes https URLs through', () => {
    expect(requireHttpsUrl('https://ca.example.test/dir', 'the directory URL')).toBe(
      'https://ca.example.test/dir',
    );
  });

  it.each([
    ['http://ca.example.test/new-acct', 'an http: URL'],
    ['ftp://ca.example.test/x', 'an ftp: URL'],
    ['/relative/order/1', 'not an absolute URL'],
  ])('refuses %s, naming where it came from', (url, what) => {
    let error: unknown;
    try {
      requireHttpsUrl(url, 'directory field newAccount');
    } catch (caught) {
      error = caught;
    }
    expect(CertkeeperError.isInstance(error) && error.code).toBe('CERTKEEPER_ERR_INSECURE_URL');
    expect((error as Error).message).toContain('directory field newAccount');
    expect((error as Error).message).toContain(what);
    expect((error as Error).message).toContain('RFC 8555 §6.1');
  });

  it('lets http through only when an insecure test CA was explicitly allowed', () => {
    expect(requireHttpsUrl('http://127.0.0.1:14000/dir', 'the directory URL', true)).toBe(
      'http://127.0.0.1:14000/dir',
    );
    expect(() => requireHttpsUrl('ftp://127.0.0.1/dir', 'the directory URL', true)).toThrow(/ftp/);
  });
});
