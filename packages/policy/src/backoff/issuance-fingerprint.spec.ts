import { describe, expect, it } from 'vitest';
import { issuanceFingerprint } from './issuance-fingerprint.js';

describe('issuanceFingerprint', () => {
  const base = {
    directoryUrl: 'https://ca.test/dir',
    keyType: 'ec256',
    solvers: [{ type: 'http-01', settings: { webroot: '/var/www', port: 80 } }],
  };

  it('is stable and ignores the order of keys', () => {
    const reordered = {
      solvers: [{ settings: { port: 80, webroot: '/var/www' }, type: 'http-01' }],
      keyType: 'ec256',
      directoryUrl: 'https://ca.test/dir',
    };
    expect(issuanceFingerprint(base)).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(issuanceFingerprint(reordered)).toBe(issuanceFingerprint(base));
  });

  it.each([
    ['the CA', { directoryUrl: 'https://other.test/dir' }],
    ['the key type', { keyType: 'rsa2048' }],
    ['the profile', { profile: 'shortlived' }],
    ['a solver setting', { solvers: [{ type: 'http-01', settings: { webroot: '/srv/www', port: 80 } }] }],
    ['the solver type', { solvers: [{ type: 'dns-01' }] }],
    ['the solver order', { solvers: [{ type: 'dns-01' }, ...base.solvers] }],
  ])('changes with %s', (_what, change) => {
    expect(issuanceFingerprint({ ...base, ...change })).not.toBe(issuanceFingerprint(base));
  });
});
