import type { CertificateRecord } from '@certkeeper/store';
import { describe, expect, it } from 'vitest';
import type { CertificateRequest } from '../certificate-request.js';
import { assessFreshness } from './freshness-gate.js';
import { renewalTime } from './renewal-time.js';

const request: CertificateRequest = {
  directoryUrl: 'https://ca.test/dir',
  accountUrl: 'https://ca.test/acct/1',
  identifiers: [
    { type: 'dns', value: 'b.example.test' },
    { type: 'dns', value: 'a.example.test' },
  ],
};
const stored: CertificateRecord = {
  key: 'k',
  directoryUrl: request.directoryUrl,
  accountUrl: request.accountUrl,
  identifiers: [
    { type: 'dns', value: 'A.example.test' },
    { type: 'dns', value: 'b.example.test' },
  ],
  keyType: 'ec256',
  certificatePem: '',
  keyPem: '',
  notBefore: '2026-11-01T00:00:00.000Z',
  notAfter: '2027-01-30T00:00:00.000Z', // 90 days
  serialNumberHex: '01',
  issuedAt: '2026-11-01T00:00:00.000Z',
};
const at = (iso: string) => new Date(iso);

describe('assessFreshness', () => {
  it('is fresh until two thirds of the lifetime, whatever the order or case of names', () => {
    const result = assessFreshness(request, stored, at('2026-12-01T00:00:00Z'));
    expect(result.fresh).toBe(true);
    if (result.fresh) {
      expect(result.nextCheckAt.toISOString()).toBe('2026-12-31T00:00:00.000Z');
      expect(result.explanation).toBe('fresh until 2026-12-31T00:00:00.000Z (2/3 of the 90-day lifetime)');
    }
  });
  it('is due after two thirds of the lifetime', () => {
    expect(assessFreshness(request, stored, at('2026-12-31T00:00:01Z'))).toMatchObject({
      fresh: false,
      reason: 'renewal-time',
    });
  });
  it('uses half the lifetime for certificates under ten days', () => {
    const short = { ...stored, notAfter: '2026-11-07T16:00:00.000Z' }; // 160 h
    expect(renewalTime(short).at.toISOString()).toBe('2026-11-04T08:00:00.000Z');
  });
  it('follows the chosen ARI moment, and checks again at the ARI refresh time', () => {
    const withAri: CertificateRecord = {
      ...stored,
      renewalInfo: {
        windowStart: '2026-11-20T00:00:00.000Z',
        windowEnd: '2026-11-22T00:00:00.000Z',
        chosenAt: '2026-11-21T00:00:00.000Z',
        refreshAt: '2026-11-10T06:00:00.000Z',
        fetchedAt: '2026-11-10T00:00:00.000Z',
      },
    };
    const early = assessFreshness(request, withAri, at('2026-11-10T00:00:00Z'));
    expect(early.fresh && early.nextCheckAt.toISOString()).toBe('2026-11-10T06:00:00.000Z');
    expect(assessFreshness(request, withAri, at('2026-11-21T00:00:01Z'))).toMatchObject({
      fresh: false,
      reason: 'renewal-time',
    });
  });
  it('renewBefore replaces the lifetime rule: due once less than that remains', () => {
    const forty = { ...request, renewBeforeMs: 40 * 86_400_000 };
    const early = assessFreshness(forty, stored, at('2026-12-20T00:00:00Z'));
    expect(early.fresh && early.explanation).toBe(
      'fresh until 2026-12-21T00:00:00.000Z (renewBefore 40d before expiry)',
    );
    const ten = { ...request, renewBeforeMs: 10 * 86_400_000 };
    const later = assessFreshness(ten, stored, at('2027-01-15T00:00:00Z'));
    expect(later.fresh && later.nextCheckAt.toISOString()).toBe('2027-01-20T00:00:00.000Z');
    expect(assessFreshness(ten, stored, at('2027-01-20T00:00:01Z'))).toMatchObject({
      fresh: false,
      reason: 'renewal-time',
    });
  });
  it('an ARI window earlier than renewBefore wins; a later one does not delay it', () => {
    const ari = (chosenAt: string): CertificateRecord => ({
      ...stored,
      renewalInfo: {
        windowStart: chosenAt,
        windowEnd: chosenAt,
        chosenAt,
        refreshAt: '2027-02-01T00:00:00.000Z',
        fetchedAt: '2026-11-10T00:00:00.000Z',
      },
    });
    const ten = { ...request, renewBeforeMs: 10 * 86_400_000 };
    expect(assessFreshness(ten, ari('2026-11-20T00:00:00.000Z'), at('2026-11-21T00:00:00Z'))).toMatchObject({
      fresh: false,
      explanation: expect.stringContaining('ARI window'),
    });
    const late = assessFreshness(ten, ari('2027-01-25T00:00:00.000Z'), at('2027-01-15T00:00:00Z'));
    expect(late.fresh && late.renewal.at.toISOString()).toBe('2027-01-20T00:00:00.000Z');
  });
  it('a renewBefore as long as the lifetime is not used: the lifetime rule applies', () => {
    const result = assessFreshness(
      { ...request, renewBeforeMs: 91 * 86_400_000 },
      stored,
      at('2026-12-01T00:00:00Z'),
    );
    expect(result.fresh && result.explanation).toContain('2/3 of the 90-day lifetime; renewBefore 91d');
  });
  it.each([
    ['missing', undefined, {}],
    ['revoked', { ...stored, revokedAt: '2026-11-02T00:00:00Z' }, {}],
    ['identifiers-changed', { ...stored, identifiers: [{ type: 'dns', value: 'a.example.test' }] }, {}],
    ['key-type-changed', stored, { keyType: 'rsa2048' }],
    ['profile-changed', stored, { profile: 'shortlived' }],
    // The caller's own CSR: for another key, or a CSR where certkeeper held the key, or the other way round.
    [
      'key-changed',
      { ...stored, keyPem: undefined, externalKey: { spkiSha256: 'aa'.repeat(32) } },
      { csr: { der: 'MA', spkiSha256: 'bb'.repeat(32) } },
    ],
    ['key-changed', stored, { csr: { der: 'MA', spkiSha256: 'bb'.repeat(32) } }],
    ['key-changed', { ...stored, keyPem: undefined, externalKey: { spkiSha256: 'aa'.repeat(32) } }, {}],
    ['forced', stored, { force: true }],
    ['expired', { ...stored, notAfter: '2026-11-15T00:00:00Z', notBefore: '2026-08-15T00:00:00Z' }, {}],
  ] as const)('is due when %s', (reason, record, changes) => {
    expect(
      assessFreshness(
        { ...request, ...changes },
        record as CertificateRecord | undefined,
        at('2026-12-01T00:00:00Z'),
      ),
    ).toMatchObject({ fresh: false, reason });
  });
});

describe('assessFreshness with the caller’s own CSR', () => {
  it('is fresh when the CSR is for the stored certificate’s key', () => {
    const external = { ...stored, keyPem: undefined, externalKey: { spkiSha256: 'aa'.repeat(32) } };
    const csr = { der: 'MA', spkiSha256: 'aa'.repeat(32) };
    expect(assessFreshness({ ...request, csr }, external, at('2026-12-01T00:00:00Z')).fresh).toBe(true);
  });
});
