import { createSecureContext, type SecureContext } from 'node:tls';
import type { CertificateRecord } from '@certkeeper/store';

/** One name's certificate as handshakes use it; `record` is kept to compare serials and to schedule renewal. */
export interface CachedCertificate {
  readonly context: SecureContext;
  readonly record: CertificateRecord;
}

/**
 * The certificates handshakes are answered from: one `tls.SecureContext` per name, built once when the certificate
 * is loaded or renewed, so a handshake for a cached name touches neither the store nor the PEM parser. Swapping an
 * entry affects only handshakes that start afterwards; open connections keep the context they began with.
 */
export class SecureContextCache {
  private readonly entries = new Map<string, CachedCertificate>();

  get(name: string): CachedCertificate | undefined {
    return this.entries.get(name);
  }

  put(name: string, record: CertificateRecord): CachedCertificate {
    const entry = {
      context: createSecureContext({ key: record.keyPem, cert: record.certificatePem }),
      record,
    };
    this.entries.set(name, entry);
    return entry;
  }

  delete(name: string): void {
    this.entries.delete(name);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }
}
