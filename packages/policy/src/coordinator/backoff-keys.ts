import { AcmeProblemError } from '@certkeeper/core';
import type { CertificateRequest } from '../certificate-request.js';
import { certificateKey } from '../certificate-request.js';

/** The backoff record for one certificate (its identifier set, account, CA and profile). */
export function setBackoffKey(request: CertificateRequest): string {
  return `set|${certificateKey(request)}`;
}

/** The backoff record for a whole account, set when a limit is account-wide. */
export function accountBackoffKey(request: Pick<CertificateRequest, 'directoryUrl' | 'accountUrl'>): string {
  return `account|${request.directoryUrl}|${request.accountUrl}`;
}

/**
 * Whether a rate-limit answer concerns the whole account rather than this identifier set. Let's Encrypt names the
 * limit in the detail ("too many new orders recently", "too many new registrations").
 */
export function isAccountWideLimit(error: unknown): boolean {
  return (
    AcmeProblemError.isInstance(error) && /new orders|new registrations|account/i.test(error.detail ?? '')
  );
}
