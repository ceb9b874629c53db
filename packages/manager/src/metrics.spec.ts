import type { CertificateRecord } from '@certkeeper/store';
import { describe, expect, it } from 'vitest';
import { CertkeeperMetrics } from './metrics.js';

const record = (name: string, notBefore: string, notAfter: string): CertificateRecord => ({
  key: name,
  directoryUrl: 'https://ca.test/dir',
  accountUrl: 'https://ca.test/acct/1',
  identifiers: [{ type: 'dns', value: name }],
  keyType: 'ec256',
  certificatePem: '',
  keyPem: '',
  notBefore,
  notAfter,
  serialNumberHex: '01',
  issuedAt: notBefore,
});

describe('CertkeeperMetrics.observeSweep', () => {
  it('keeps an expired certificate with negative seconds, drops one no longer stored, counts each state', async () => {
    const metrics = new CertkeeperMetrics();
    const now = new Date('2026-12-06T00:00:00Z');
    const valid = record('valid.test', '2026-12-01T00:00:00Z', '2027-03-01T00:00:00Z');
    const expired = record('expired.test', '2026-08-01T00:00:00Z', '2026-11-06T00:00:00Z');
    const forgotten = record('forgotten.test', '2026-12-01T00:00:00Z', '2027-03-01T00:00:00Z');
    metrics.observeSweep({ stored: [valid, forgotten], failing: 0, deferred: 0, undeployed: 0, now });
    metrics.observeSweep({ stored: [valid, expired], failing: 1, deferred: 2, undeployed: 3, now });
    const text = await metrics.registry.metrics();
    expect(text).toContain('certkeeper_certificate_expiry_seconds{certificate="expired.test"} -2592000');
    expect(text).toMatch(/certkeeper_certificate_expiry_seconds\{certificate="valid\.test"\} 7344000\b/);
    expect(text).not.toContain('forgotten.test');
    expect(text).toContain('certkeeper_certificates{state="valid"} 1');
    expect(text).toContain('certkeeper_certificates{state="expired"} 1');
    expect(text).toContain('certkeeper_certificates{state="failing"} 1');
    expect(text).toContain('certkeeper_certificates{state="deferred"} 2');
    expect(text).toContain('certkeeper_certificates{state="undeployed"} 3');
  });
});
