import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors/codes.js';
import { ariCertificateId } from './ari-certificate-id.js';
import { parseCertificate } from './certificate.js';
import { x509 as loadX509, type X509 } from './x509.js';

const x509 = loadX509();

// RFC 9773 Appendix A, the end-entity certificate of the §4.1 worked example.
const RFC9773_EXAMPLE = `-----BEGIN CERTIFICATE-----
MIIBQzCB66ADAgECAgUAh2VDITAKBggqhkjOPQQDAjAVMRMwEQYDVQQDEwpFeGFt
cGxlIENBMCIYDzAwMDEwMTAxMDAwMDAwWhgPMDAwMTAxMDEwMDAwMDBaMBYxFDAS
BgNVBAMTC2V4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeBZu
7cbpAYNXZLbbh8rNIzuOoqOOtmxA1v7cRm//AwyMwWxyHz4zfwmBhcSrf47NUAFf
qzLQ2PPQxdTXREYEnKMjMCEwHwYDVR0jBBgwFoAUaYhba4dGQEHhs3uEe6CuLN4B
yNQwCgYIKoZIzj0EAwIDRwAwRAIge09+S5TZAlw5tgtiVvuERV6cT4mfutXIlwTb
+FYN/8oCIClDsqBklhB9KAelFiYt9+6FDj3z4KGVelYM5MdsO3pK
-----END CERTIFICATE-----
`;

async function selfSigned(serialNumber: string, extensions: X509.Extension[]): Promise<string> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=ari.example.test',
    keys,
    serialNumber,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions,
  });
  return cert.toString('pem');
}

describe('ariCertificateId (RFC 9773 §4.1)', () => {
  it('matches the RFC 9773 test vector', () => {
    const cert = parseCertificate(RFC9773_EXAMPLE);
    expect(cert.authorityKeyIdentifierHex).toBe('69885b6b87464041e1b37b847ba0ae2cde01c8d4');
    expect(cert.serialNumberHex).toBe('0087654321');
    expect(ariCertificateId(cert)).toBe('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE');
  });

  it('adds no sign byte to a serial whose high bit is clear, and no padding', async () => {
    const aki = new x509.AuthorityKeyIdentifierExtension('0102030405');
    const cert = parseCertificate(await selfSigned('7f0001', [aki]));
    expect(cert.serialNumberHex).toBe('7f0001');
    // base64url of 01 02 03 04 05 is "AQIDBAU=" and of 7f 00 01 is "fwAB": padding stripped.
    expect(ariCertificateId(cert)).toBe('AQIDBAU.fwAB');
  });

  it('refuses a certificate without an Authority Key Identifier', async () => {
    const cert = parseCertificate(await selfSigned('01', []));
    expect(cert.authorityKeyIdentifierHex).toBeUndefined();
    expect(() => ariCertificateId(cert)).toThrow(
      expect.objectContaining({
        code: ErrorCodes.INVALID_CERTIFICATE,
        message: expect.stringContaining('RFC 9773'),
      }),
    );
  });
});
