import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from './certificate.js';
import { certificateIssuerName } from './certificate-issuer.js';
import { x509 as loadX509 } from './x509.js';

const x509 = loadX509();
const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function certificate(subject: string, issuer: string): Promise<string> {
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const made = await x509.X509CertificateGenerator.create({
    serialNumber: '01',
    subject,
    issuer,
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2026-04-01T00:00:00Z'),
    signingAlgorithm: algorithm,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
  });
  return made.toString('pem');
}

describe('certificateIssuerName', () => {
  it("gives the issuer's common name of the first certificate of a chain, as parseCertificate reads it", async () => {
    const leaf = await certificate('CN=a.test', 'C=US, O=Example CA, CN=Example R11');
    const intermediate = await certificate('CN=Example R11', 'CN=Example Root');
    expect(certificateIssuerName(`${leaf}\n${intermediate}`)).toBe('Example R11');
    expect(parseCertificate(leaf).issuer).toContain('CN=Example R11');
  });

  it('gives the whole name without a common name, and undefined for what does not parse', async () => {
    expect(certificateIssuerName(await certificate('CN=b.test', 'O=Nameless CA, C=US'))).toBe(
      'O=Nameless CA, C=US',
    );
    expect(certificateIssuerName('')).toBeUndefined();
    expect(
      certificateIssuerName('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    ).toBeUndefined();
  });
});
