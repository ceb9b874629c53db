import { CertkeeperError, ErrorCodes, type PublicationReceipt } from '@certkeeper/core';
import { assertValidChallengeToken } from '@certkeeper/http01';

/** `PublicationReceipt.data` of the tls-alpn-01 solvers. */
export interface TlsAlpn01ReceiptData {
  readonly token: string;
}

/**
 * Reads the data of a tls-alpn-01 receipt from stored state, which may come from another process or version:
 * throws `CERTKEEPER_ERR_INVALID_STATE` when it is not a tls-alpn-01 receipt, and
 * `CERTKEEPER_ERR_INVALID_CHALLENGE_TOKEN` when its token is malformed.
 */
export function readReceiptData(receipt: PublicationReceipt): TlsAlpn01ReceiptData {
  const data = receipt.data as Record<string, unknown> | null;
  if (receipt.type !== 'tls-alpn-01' || typeof data !== 'object' || data === null) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_STATE,
      `The receipt for ${receipt.authorizationUrl} is not a tls-alpn-01 receipt (type ${receipt.type}).`,
      { hint: 'Pass each receipt to the solver of its type; the stored order state may be corrupted.' },
    );
  }
  assertValidChallengeToken(data.token, `stored tls-alpn-01 receipt (${receipt.authorizationUrl})`);
  return { token: data.token };
}
