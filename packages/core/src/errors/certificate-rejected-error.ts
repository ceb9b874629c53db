import type { CertificateFinding } from '../crypto/verify-issued-chain.js';
import { formatIdentifier, type Identifier } from '../identifiers/identifier.js';
import { CertkeeperError } from './certkeeper-error.js';
import { ErrorCodes } from './codes.js';

export interface RejectedCertificateContext {
  readonly identifiers: readonly Identifier[];
  /** The order that produced it: recorded in the failure and the backoff, so nothing is ordered again blindly. */
  readonly orderUrl?: string;
  readonly certificateUrl: string;
}

/**
 * The certificate the CA issued fails verification (its key, names, validity, chain or trust anchor) and was not
 * stored. The CA did this: the order is recorded in the failure, the normal backoff applies, and the next attempt is a
 * new order after it. `findings` lists every check that failed.
 */
export class CertificateRejectedError extends CertkeeperError {
  readonly findings: readonly CertificateFinding[];
  readonly orderUrl: string | undefined;
  readonly certificateUrl: string;

  constructor(findings: readonly CertificateFinding[], context: RejectedCertificateContext) {
    const names = context.identifiers.map(formatIdentifier).join(', ');
    const order = context.orderUrl ? ` (order ${context.orderUrl})` : '';
    super(
      ErrorCodes.CERTIFICATE_REJECTED,
      `The certificate the CA issued for ${names}${order} was refused and not stored: ` +
        `${findings.map((finding) => finding.detail).join('; ')}.\nIt was downloaded from ${context.certificateUrl}.`,
      {
        hint:
          'the CA answered with a certificate that is not the one ordered; the next attempt orders again after the ' +
          'backoff (`certkeeper status` shows when). If trust anchors are configured (ca.trustAnchors), check they ' +
          'are this CA’s roots.',
      },
    );
    this.findings = findings;
    this.orderUrl = context.orderUrl;
    this.certificateUrl = context.certificateUrl;
  }
}
