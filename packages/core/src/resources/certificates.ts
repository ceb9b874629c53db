import type { AccountKey } from '../crypto/account-key.js';
import { ProtocolError } from '../errors/transport-errors.js';
import { type AcmeSession, requireAccountUrl } from './session.js';

/** RFC 5280 CRLReason codes a CA may accept for revocation (Let's Encrypt: 0, 1, 3, 4, 5). */
export const RevocationReason = {
  unspecified: 0,
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
} as const;
export type RevocationReasonCode = (typeof RevocationReason)[keyof typeof RevocationReason];

export interface CertificateChain {
  /** The URL it was downloaded from. */
  readonly url: string;
  /** End-entity certificate first, then the intermediates, as PEM. */
  readonly pem: string;
}

export interface DownloadedCertificate {
  /** The chain the CA offers by default. */
  readonly default: CertificateChain;
  /** URLs of alternate chains (`Link: rel="alternate"`, RFC 8555 §7.4.2), not downloaded unless asked for. */
  readonly alternateUrls: readonly string[];
}

export interface RevokeOptions {
  readonly reason?: RevocationReasonCode;
  /**
   * Sign with the certificate's own key instead of the account key (RFC 8555 §7.6): for a certificate issued
   * to another account, or when the account key is lost.
   */
  readonly certificateKey?: AccountKey;
  readonly signal?: AbortSignal;
}

/** Certificate download and revocation (RFC 8555 §7.4.2, §7.6). */
export class CertificateService {
  constructor(private readonly session: AcmeSession) {}

  async download(url: string, signal?: AbortSignal): Promise<DownloadedCertificate> {
    const response = await this.session.transport.post<string>(url, '', {
      key: this.session.accountKey,
      kid: requireAccountUrl(this.session),
      accept: 'application/pem-certificate-chain',
      resource: 'certificate',
      signal,
    });
    if (typeof response.body !== 'string' || !response.body.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ProtocolError(`The CA's certificate at ${url} is not a PEM certificate chain.`);
    }
    return {
      default: { url, pem: response.body },
      alternateUrls: response.links.filter((link) => link.rel === 'alternate').map((link) => link.url),
    };
  }

  /** Download one alternate chain. */
  async downloadChain(url: string, signal?: AbortSignal): Promise<CertificateChain> {
    return (await this.download(url, signal)).default;
  }

  /** Revoke a certificate given as DER. */
  async revoke(certificateDer: Uint8Array, options: RevokeOptions = {}): Promise<void> {
    const { transport } = this.session;
    const directory = await transport.directory(options.signal);
    const payload: Record<string, unknown> = {
      certificate: Buffer.from(certificateDer).toString('base64url'),
    };
    if (options.reason !== undefined) payload.reason = options.reason;
    if (options.certificateKey) {
      await transport.post(directory.revokeCert, payload, {
        key: options.certificateKey,
        resource: 'revocation',
        signal: options.signal,
      });
    } else {
      await transport.post(directory.revokeCert, payload, {
        key: this.session.accountKey,
        kid: requireAccountUrl(this.session),
        resource: 'revocation',
        signal: options.signal,
      });
    }
  }
}
