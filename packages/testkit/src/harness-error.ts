import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/**
 * Builds the error every testkit failure is reported with: code `CERTKEEPER_ERR_TEST_HARNESS`, a message that says
 * what failed and for which server or endpoint, and a hint telling the test author what to check next.
 */
export function harnessError(message: string, hint: string, cause?: unknown): CertkeeperError {
  return new CertkeeperError(ErrorCodes.TEST_HARNESS, message, { hint, cause });
}
