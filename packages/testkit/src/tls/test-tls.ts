// @peculiar/x509 uses tsyringe internally, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** A throwaway certificate authority and one server certificate it signed, all PEM. */
export interface TestTlsMaterial {
  /** The CA certificate: what a client trusts to talk to the server. */
  readonly caCertificatePem: string;
  /** The server's leaf certificate. */
  readonly certificatePem: string;
  /** The server's private key (PKCS #8). Throwaway: it exists only for one test run. */
  readonly privateKeyPem: string;
}

export interface TestTlsOptions {
  /** Used in both subjects, so a certificate seen in a log says which harness made it. */
  readonly commonName: string;
  /** Defaults to `['127.0.0.1', '::1']`. */
  readonly ipAddresses?: readonly string[];
  /** Defaults to `['localhost']`. */
  readonly dnsNames?: readonly string[];
}

// ECDSA P-256: generating an RSA key would add tens of milliseconds to every harness start for nothing.
const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const crypto = webcrypto;

/**
 * Creates a fresh CA and a server certificate for loopback listeners (Pebble, the fault proxy).
 *
 * Each call makes new keys, so a client that trusts this CA can only ever reach the server it was made for: the
 * TLS handshake doubles as an identity check when another test's server grabbed the same port.
 */
export async function createTestTls(options: TestTlsOptions): Promise<TestTlsMaterial> {
  // A minute of back-dating absorbs clock skew between Node and Go's time checks.
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 2 * 24 * 3600_000);
  const caKeys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const caCertificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: `CN=${options.commonName} test CA`,
      notBefore,
      notAfter,
      signingAlgorithm: algorithm,
      keys: caKeys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );

  const serverKeys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const names: x509.JsonGeneralName[] = [
    ...(options.dnsNames ?? ['localhost']).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? ['127.0.0.1', '::1']).map((value) => ({ type: 'ip' as const, value })),
  ];
  const serverCertificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: `CN=${options.commonName}`,
      issuer: caCertificate.subject,
      notBefore,
      notAfter,
      signingAlgorithm: algorithm,
      publicKey: serverKeys.publicKey,
      signingKey: caKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names),
        await x509.AuthorityKeyIdentifierExtension.create(caCertificate, false, crypto),
      ],
    },
    crypto,
  );

  const pkcs8 = await crypto.subtle.exportKey('pkcs8', serverKeys.privateKey);
  return {
    caCertificatePem: caCertificate.toString('pem'),
    certificatePem: serverCertificate.toString('pem'),
    privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  };
}

/** 16 random bytes with the top bit cleared: a positive serial, as RFC 5280 §4.1.2.2 requires. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}
