import type { CertificateRecord } from '@certkeeper/store';
import { describe, expect, it } from 'vitest';
import { renewalTime } from './renewal-time.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function issued(notBefore: string, lifetimeMs: number): CertificateRecord {
  const start = Date.parse(notBefore);
  return {
    key: 'k',
    directoryUrl: 'https://acme-v02.api.letsencrypt.org/directory',
    accountUrl: 'https://acme-v02.api.letsencrypt.org/acme/acct/1',
    identifiers: [{ type: 'dns', value: 'example.com' }],
    keyType: 'ec256',
    certificatePem: '',
    keyPem: '',
    notBefore: new Date(start).toISOString(),
    notAfter: new Date(start + lifetimeMs).toISOString(),
    serialNumberHex: '01',
    issuedAt: new Date(start).toISOString(),
  };
}

/**
 * Let's Encrypt's lifetimes (shared/ACME-NOTES.md, profiles page 2026-07), each certificate issued on the day its
 * rule starts. Without ARI the rule renews with a third of the lifetime left, half under ten days. Authorization
 * reuse shrinks along (classic 30 d → 10 d → 7 h; tlsserver and shortlived 7 h) and never reaches the next
 * renewal, so every renewal below validates again: the renewal time must not count on reused authorizations.
 */
const schedule = [
  // profile, issued, lifetime, renewal moment, left at renewal, explanation
  [
    'classic until 2027-02-09',
    '2026-11-01T00:00:00Z',
    90 * DAY,
    '2026-12-31T00:00:00.000Z',
    '2/3 of the 90-day lifetime',
  ],
  [
    'tlsserver since 2026-05-13',
    '2026-05-13T00:00:00Z',
    45 * DAY,
    '2026-06-12T00:00:00.000Z',
    '2/3 of the 45-day lifetime',
  ],
  [
    'classic from 2027-02-10',
    '2027-02-10T00:00:00Z',
    64 * DAY,
    '2027-03-24T16:00:00.000Z',
    '2/3 of the 64-day lifetime',
  ],
  [
    'classic from 2028-02-16',
    '2028-02-16T00:00:00Z',
    45 * DAY,
    '2028-03-17T00:00:00.000Z',
    '2/3 of the 45-day lifetime',
  ],
  [
    'shortlived (160 h)',
    '2026-11-01T00:00:00Z',
    160 * HOUR,
    '2026-11-04T08:00:00.000Z',
    '1/2 of the 6.7-day lifetime',
  ],
] as const;

describe("renewal time without ARI, over Let's Encrypt's lifetime schedule", () => {
  it.each(schedule)('%s: renews at %s', (_profile, notBefore, lifetime, expected, explanation) => {
    const certificate = issued(notBefore, lifetime);
    const time = renewalTime(certificate);
    expect(time.at.toISOString()).toBe(expected);
    expect(time.basis).toBe('lifetime');
    expect(time.explanation).toBe(explanation);
    const left = Date.parse(certificate.notAfter) - time.at.getTime();
    expect(left / lifetime).toBeCloseTo(lifetime < 10 * DAY ? 1 / 2 : 1 / 3, 9);
  });

  it('keeps a third left from ten days up, and switches to half just under', () => {
    expect(renewalTime(issued('2026-11-01T00:00:00Z', 10 * DAY)).at.toISOString()).toBe(
      new Date(Date.parse('2026-11-01T00:00:00Z') + (20 / 3) * DAY).toISOString(),
    );
    expect(renewalTime(issued('2026-11-01T00:00:00Z', 10 * DAY - 1)).explanation).toBe(
      '1/2 of the 10-day lifetime',
    );
  });
});
