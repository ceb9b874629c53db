import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';
import { generateCertificateKey } from './certificate-key.js';
import { createCsr } from './csr.js';
import { assertCsrMatchesIdentifiers, type ParsedCsr, parseCsr } from './csr-parse.js';
import { x509 as loadX509, type X509 } from './x509.js';

const x509 = loadX509();

/** A CSR made directly with x509, to produce shapes createCsr never makes. */
async function foreignCsr(options: {
  name?: string;
  names?: X509.JsonGeneralNames;
  curve?: string;
}): Promise<Uint8Array> {
  const keys = await webcrypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: options.curve ?? 'P-256' },
    true,
    ['sign', 'verify'],
  );
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: options.name ?? '',
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: options.names ? [new x509.SubjectAlternativeNameExtension(options.names)] : [],
  });
  return new Uint8Array(csr.rawData);
}

describe('parseCsr', () => {
  it('adds a CN that no SAN repeats, and normalises case and IP form', async () => {
    const der = await foreignCsr({
      name: 'CN=Legacy.Example.test',
      names: [
        { type: 'dns', value: 'WWW.example.test' },
        { type: 'ip', value: '2001:db8:0:0:0:0:0:1' },
      ],
    });
    const parsed = await parseCsr(der);
    expect(parsed.commonName).toBe('Legacy.Example.test');
    expect(parsed.identifiers).toEqual([
      { type: 'dns', value: 'www.example.test' },
      { type: 'ip', value: '2001:db8::1' },
      { type: 'dns', value: 'legacy.example.test' },
    ]);
  });

  it('does not repeat a CN that is also a SAN', async () => {
    const parsed = await parseCsr(
      await foreignCsr({ name: 'CN=a.test', names: [{ type: 'dns', value: 'a.test' }] }),
    );
    expect(parsed.identifiers).toEqual([{ type: 'dns', value: 'a.test' }]);
  });

  it('refuses a CSR whose signature does not verify', async () => {
    const csr = await createCsr({
      identifiers: [{ type: 'dns', value: 'aaaa.test' }],
      key: await generateCertificateKey(),
    });
    const tampered = Buffer.from(csr.der);
    const at = tampered.indexOf('aaaa.test');
    tampered[at + 1] = 'b'.charCodeAt(0); // a SAN becomes abaa.test: the signed bytes changed
    await expect(parseCsr(new Uint8Array(tampered))).rejects.toMatchObject({
      code: ErrorCodes.INVALID_CSR,
      message: expect.stringContaining('signature does not verify'),
    });
  });

  it.each([
    ['bytes that are not a CSR', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), 'not a readable PKCS#10'],
    [
      'PEM without a CSR block',
      '-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n',
      'not a readable',
    ],
    ['text that is not PEM', 'csr please', 'not a readable'],
  ])('refuses %s with INVALID_CSR', async (_label, input, why) => {
    await expect(parseCsr(input)).rejects.toMatchObject({
      code: ErrorCodes.INVALID_CSR,
      message: expect.stringContaining(why),
    });
  });

  it('refuses names other than DNS and IP', async () => {
    const der = await foreignCsr({
      names: [
        { type: 'email', value: 'a@example.test' },
        { type: 'dns', value: 'a.test' },
      ],
    });
    await expect(parseCsr(der)).rejects.toThrow(
      /it requests email names; ACME certificates hold only DNS names/,
    );
  });

  it('refuses a key type CAs do not accept', async () => {
    const der = await foreignCsr({ names: [{ type: 'dns', value: 'a.test' }], curve: 'P-521' });
    await expect(parseCsr(der)).rejects.toMatchObject({
      code: ErrorCodes.INVALID_CSR,
      message: expect.stringContaining('its key is ECDSA P-521'),
    });
  });
});

describe('assertCsrMatchesIdentifiers', () => {
  const csr: Pick<ParsedCsr, 'identifiers'> = {
    identifiers: [
      { type: 'dns', value: 'a.test' },
      { type: 'dns', value: '*.a.test' },
      { type: 'ip', value: '2001:db8::1' },
    ],
  };

  it('accepts the same set in another order, case and IP spelling', () => {
    const order: Identifier[] = [
      { type: 'ip', value: '2001:DB8:0::1' },
      { type: 'dns', value: '*.A.test' },
      { type: 'dns', value: 'a.test' },
    ];
    expect(() => assertCsrMatchesIdentifiers(csr, order)).not.toThrow();
  });

  it('lists the names missing on each side', () => {
    const order: Identifier[] = [
      { type: 'dns', value: 'a.test' },
      { type: 'dns', value: 'b.test' },
      { type: 'ip', value: '192.0.2.1' },
    ];
    expect(() => assertCsrMatchesIdentifiers(csr, order)).toThrow(
      expect.objectContaining({
        code: ErrorCodes.INVALID_CSR,
        message: expect.stringContaining(
          'In the order but not the CSR: b.test, ip:192.0.2.1. In the CSR but not the order: *.a.test, ip:2001:db8::1.',
        ),
      }),
    );
  });

  it('says "none" for a side with nothing missing', () => {
    expect(() =>
      assertCsrMatchesIdentifiers(csr, [...csr.identifiers, { type: 'dns', value: 'c.test' }]),
    ).toThrow('In the order but not the CSR: c.test. In the CSR but not the order: none.');
  });
});
