// What a hostile CA hands back instead of the certificate that was ordered: chains made here with @peculiar/x509,
// for the CSR's key or another, for the ordered names or others, under issuers nobody trusts.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
let serial = 0x1000;

export interface ForgedCa {
  readonly keys: webcrypto.CryptoKeyPair;
  readonly certificate: x509.X509Certificate;
  readonly pem: string;
}

const validity = () => ({
  notBefore: new Date(Date.now() - 3_600_000),
  notAfter: new Date(Date.now() + 90 * 86_400_000),
});

/** A CA certificate: self-signed (a root, or a "self-signed issuer"), or issued by `issuer`. */
export async function forgeCa(name: string, issuer?: ForgedCa): Promise<ForgedCa> {
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const extensions = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const certificate = issuer
    ? await x509.X509CertificateGenerator.create({
        subject: `CN=${name}`,
        issuer: issuer.certificate.subject,
        publicKey: keys.publicKey,
        signingKey: issuer.keys.privateKey,
        serialNumber: (serial++).toString(16),
        ...validity(),
        signingAlgorithm: ecdsa,
        extensions: [...extensions, await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey)],
      })
    : await x509.X509CertificateGenerator.createSelfSigned({
        name: `CN=${name}`,
        keys,
        serialNumber: (serial++).toString(16),
        ...validity(),
        signingAlgorithm: ecdsa,
        extensions,
      });
  return { keys, certificate, pem: certificate.toString('pem') };
}

/** The public key of a CSR in base64url DER, as a finalize request carries it (`{"csr": …}`). */
export async function csrPublicKey(csrBase64url: string): Promise<webcrypto.CryptoKey> {
  const csr = new x509.Pkcs10CertificateRequest(Buffer.from(csrBase64url, 'base64url'));
  return csr.publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify']);
}

/** A leaf for `publicKey` naming `names` (DNS), issued by `issuer`. */
export async function forgeLeaf(
  issuer: ForgedCa,
  publicKey: webcrypto.CryptoKey,
  names: readonly string[],
): Promise<string> {
  const leaf = await x509.X509CertificateGenerator.create({
    subject: `CN=${names[0]}`,
    issuer: issuer.certificate.subject,
    publicKey,
    signingKey: issuer.keys.privateKey,
    serialNumber: (serial++).toString(16),
    ...validity(),
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(false),
      new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value }))),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
  return leaf.toString('pem');
}

/** The first certificate of a PEM chain (the leaf), alone: a truncated chain. */
export function leafOnly(chainPem: string): string {
  const match = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/.exec(chainPem);
  if (!match) throw new Error('no certificate in the chain');
  return match[0];
}
