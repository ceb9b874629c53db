import { isAbsolute } from 'node:path';
import { CertkeeperError, ErrorCodes, type PublicationReceipt } from '@certkeeper/core';
import { type Http01ReceiptData, readReceiptData } from '../receipt.js';
import { CHALLENGE_DIRECTORIES, type ChallengeDirectory } from './challenge-directory.js';

/** `PublicationReceipt.data` of the webroot solver. */
export interface WebrootReceiptData extends Http01ReceiptData {
  /** The webroot as configured (absolute). Cleanup works from this, not from the current configuration. */
  readonly webroot: string;
  /** Which of `.well-known`, `.well-known/acme-challenge` this publication created (removed again if empty). */
  readonly createdDirectories: readonly ChallengeDirectory[];
}

/**
 * Reads a webroot receipt from stored state, refusing anything a webroot publication could not have produced
 * (`CERTKEEPER_ERR_INVALID_STATE`, or `CERTKEEPER_ERR_INVALID_CHALLENGE_TOKEN` for a bad token), so tampered
 * state cannot steer cleanup to other paths.
 */
export function readWebrootReceipt(receipt: PublicationReceipt): WebrootReceiptData {
  const data = readReceiptData(receipt);
  const { webroot, createdDirectories } = data;
  const directoriesValid =
    Array.isArray(createdDirectories) &&
    createdDirectories.every((entry) => (CHALLENGE_DIRECTORIES as readonly unknown[]).includes(entry));
  if (typeof webroot !== 'string' || !isAbsolute(webroot) || !directoriesValid) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_STATE,
      `The http-01 receipt for ${receipt.authorizationUrl} is not a webroot receipt (no absolute webroot or ` +
        'unknown created directories).',
      { hint: 'Clean up with the solver that published it; the stored order state may be corrupted.' },
    );
  }
  return { token: data.token, webroot, createdDirectories: createdDirectories as ChallengeDirectory[] };
}
