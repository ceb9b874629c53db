import { CertkeeperError, ErrorCodes, type PublicationReceipt } from '@certkeeper/core';
import { assertValidChallengeToken } from './token.js';

/** `PublicationReceipt.data` of the registry and standalone solvers. */
export interface Http01ReceiptData {
  readonly token: string;
}

/**
 * Reads the data of an http-01 receipt from stored state, which may come from another process or version:
 * throws `CERTKEEPER_ERR_INVALID_STATE` when it is not an http-01 receipt, and
 * `CERTKEEPER_ERR_INVALID_CHALLENGE_TOKEN` when its token is malformed (so no path is built from it).
 */
export function readReceiptData(receipt: PublicationReceipt): Record<string, unknown> & Http01ReceiptData {
  const data = receipt.data as Record<string, unknown> | null;
  if (receipt.type !== 'http-01' || typeof data !== 'object' || data === null) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_STATE,
      `The receipt for ${receipt.authorizationUrl} is not an http-01 receipt (type ${receipt.type}).`,
      { hint: 'Pass each receipt to the solver of its type; the stored order state may be corrupted.' },
    );
  }
  assertValidChallengeToken(data.token, `stored http-01 receipt (${receipt.authorizationUrl})`);
  return data as Record<string, unknown> & Http01ReceiptData;
}
