import {
  type CertificateKeyType,
  DEFAULT_CERTIFICATE_KEY_TYPE,
  type Identifier,
  identifierSetKey,
} from '@certkeeper/core';

/** What a caller wants kept: a certificate for these identifiers, from this CA and account. */
export interface CertificateRequest {
  readonly directoryUrl: string;
  readonly accountUrl: string;
  /** Wire-form identifiers (as `prepareOrder` normalises them). */
  readonly identifiers: readonly Identifier[];
  readonly profile?: string;
  readonly keyType?: CertificateKeyType;
  /**
   * Skip the freshness gate and any failure backoff (a forced renewal). A CA's Retry-After (rate-limit backoff)
   * and the rate-limit ledger still apply.
   */
  readonly force?: boolean;
  /**
   * Renew once less than this remains (ms); an earlier ARI window still wins. Default: the lifetime rule (see
   * {@link renewalTime}).
   */
  readonly renewBeforeMs?: number;
  /** A renewal certifies the stored certificate's private key again instead of a new one (`--reuse-key`). */
  readonly reuseKey?: boolean;
  /**
   * The caller's own CSR: the order finalizes with exactly it, and the key stays with the caller (the stored
   * certificate has no key, `externalKey` instead). `keyType` is then the CSR's key type.
   */
  readonly csr?: RequestCsr;
  /**
   * {@link issuanceFingerprint} of the configuration this request is made with. A failure backoff recorded under
   * another fingerprint no longer defers it (the configuration was fixed); without one, every failure backoff does.
   */
  readonly configFingerprint?: string;
}

/** A CSR as a request carries it: plain JSON, so a job queue can carry the request too. */
export interface RequestCsr {
  /** base64url DER. */
  readonly der: string;
  /** SHA-256 of its public key's DER SubjectPublicKeyInfo, hex. */
  readonly spkiSha256: string;
}

/**
 * The key under which one certificate is kept and its renewals coalesce: CA + account + exact identifier set
 * (case- and order-insensitive) + profile. Two requests with the same key share one flow.
 */
export function certificateKey(
  request: Pick<CertificateRequest, 'directoryUrl' | 'accountUrl' | 'identifiers' | 'profile'>,
): string {
  return `${request.directoryUrl}|${request.accountUrl}|${identifierSetKey(request.identifiers)}|${request.profile ?? ''}`;
}

export function requestedKeyType(request: CertificateRequest): CertificateKeyType {
  return request.keyType ?? DEFAULT_CERTIFICATE_KEY_TYPE;
}
