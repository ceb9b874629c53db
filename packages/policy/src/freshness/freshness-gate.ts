import { identifierSetKey } from '@certkeeper/core';
import type { CertificateRecord } from '@certkeeper/store';
import { type CertificateRequest, requestedKeyType } from '../certificate-request.js';
import { type RenewalTime, renewalTime } from './renewal-time.js';

export type DueReason =
  | 'missing'
  | 'expired'
  | 'renewal-time'
  | 'identifiers-changed'
  | 'key-type-changed'
  /** The stored certificate's key is not the one asked for: another CSR, or a CSR's key vs one of certkeeper's own. */
  | 'key-changed'
  | 'profile-changed'
  | 'revoked'
  | 'forced'
  /** Issued by a run that stopped before storing it; a later run stored it. */
  | 'resumed';

export type Freshness =
  | {
      readonly fresh: true;
      /** Nothing to do until this time: the renewal time, or an earlier ARI refresh. */
      readonly nextCheckAt: Date;
      readonly renewal: RenewalTime;
      readonly explanation: string;
    }
  | { readonly fresh: false; readonly reason: DueReason; readonly explanation: string };

/**
 * Decide from stored data alone — no request to the CA — whether a certificate must be (re)issued. This is the
 * check seed 004's renewal task lacked: a "renewal" when a fresh certificate exists is a no-op.
 */
export function assessFreshness(
  request: CertificateRequest,
  stored: CertificateRecord | undefined,
  now: Date,
): Freshness {
  if (!stored)
    return { fresh: false, reason: 'missing', explanation: 'no certificate is stored for these identifiers' };
  if (request.force) return { fresh: false, reason: 'forced', explanation: 'renewal was forced' };
  if (stored.revokedAt)
    return {
      fresh: false,
      reason: 'revoked',
      explanation: `the certificate was revoked at ${stored.revokedAt}`,
    };
  if (identifierSetKey(stored.identifiers) !== identifierSetKey(request.identifiers)) {
    return {
      fresh: false,
      reason: 'identifiers-changed',
      explanation: 'the stored certificate covers other identifiers',
    };
  }
  if (stored.keyType !== requestedKeyType(request)) {
    return {
      fresh: false,
      reason: 'key-type-changed',
      explanation: `the stored key is ${stored.keyType}, ${requestedKeyType(request)} was asked for`,
    };
  }
  if ((stored.externalKey?.spkiSha256 ?? '') !== (request.csr?.spkiSha256 ?? '')) {
    return {
      fresh: false,
      reason: 'key-changed',
      explanation: request.csr
        ? stored.externalKey
          ? "the CSR's key is not the stored certificate's"
          : "the stored certificate's key is certkeeper's own, the CSR's key was asked for"
        : "the stored certificate's key is the caller's own (a CSR); a key of certkeeper's own was asked for",
    };
  }
  if ((stored.profile ?? '') !== (request.profile ?? '')) {
    return {
      fresh: false,
      reason: 'profile-changed',
      explanation: `the stored certificate has profile "${stored.profile ?? 'default'}"`,
    };
  }
  if (Date.parse(stored.notAfter) <= now.getTime()) {
    return { fresh: false, reason: 'expired', explanation: `the certificate expired at ${stored.notAfter}` };
  }
  const renewal = renewalTime(stored, request.renewBeforeMs);
  if (renewal.at.getTime() <= now.getTime()) {
    return {
      fresh: false,
      reason: 'renewal-time',
      explanation: `due since ${renewal.at.toISOString()} (${renewal.explanation})`,
    };
  }
  const refresh = stored.renewalInfo ? Date.parse(stored.renewalInfo.refreshAt) : Number.POSITIVE_INFINITY;
  const nextCheckAt = new Date(Math.min(renewal.at.getTime(), refresh));
  return {
    fresh: true,
    nextCheckAt,
    renewal,
    explanation: `fresh until ${renewal.at.toISOString()} (${renewal.explanation})`,
  };
}
