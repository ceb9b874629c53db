import { X509Certificate } from 'node:crypto';
import { splitPemChain } from './pem.js';

/**
 * The issuer of a PEM certificate (the first of a chain) for people: its common name, else its whole name. Read
 * with Node's own X.509 parser, not `parseCertificate`: listing 10 000 stored certificates (`certkeeper status`,
 * the daemon's page) took 30 s or more through @peculiar/x509 on a busy machine, and this needs no more than the
 * name. Undefined when the PEM does not parse.
 */
export function certificateIssuerName(pem: string): string | undefined {
  let issuer: string;
  try {
    issuer = new X509Certificate(splitPemChain(pem)[0] ?? '').issuer;
  } catch {
    return undefined;
  }
  // Node gives one attribute per line: "C=US\nO=Let's Encrypt\nCN=R11".
  const attributes = issuer.split('\n').filter(Boolean);
  return (
    attributes.find((attribute) => attribute.startsWith('CN='))?.slice(3) ??
    (attributes.join(', ') || undefined)
  );
}
