import type { BackoffRecord } from '@certkeeper/store';
import type { CertificateRequest } from '../certificate-request.js';

/** Why a recorded backoff does not defer a request (for logs and status), or undefined when it does. */
export type BackoffWaiver = 'expired' | 'forced' | 'configuration-changed';

/**
 * The one rule for whether a backoff record defers a request now. A CA's Retry-After (`rateLimited`) defers until its
 * time, whatever the request. A failure backoff (the CA's other answers) does too, except for a forced request, and
 * for a request made under another configuration than the one the failure was recorded under (both fingerprints
 * known and different: changing the configuration is how such a failure is fixed).
 */
export function backoffWaiver(
  record: BackoffRecord,
  request: Pick<CertificateRequest, 'force' | 'configFingerprint'>,
  now: Date,
): BackoffWaiver | undefined {
  if (Date.parse(record.retryAt) <= now.getTime()) return 'expired';
  if (record.rateLimited) return undefined;
  if (request.force) return 'forced';
  if (configurationChanged(record, request)) return 'configuration-changed';
  return undefined;
}

/** Both fingerprints known and different: the configuration changed since the failure was recorded. */
export function configurationChanged(
  record: Pick<BackoffRecord, 'configFingerprint'>,
  request: Pick<CertificateRequest, 'configFingerprint'>,
): boolean {
  return (
    record.configFingerprint !== undefined &&
    request.configFingerprint !== undefined &&
    record.configFingerprint !== request.configFingerprint
  );
}
