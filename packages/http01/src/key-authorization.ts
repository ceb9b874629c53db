import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

// RFC 8555 §8.1: keyAuthorization = token || '.' || base64url(SHA-256 JWK thumbprint); a SHA-256 digest is
// 32 bytes, so the thumbprint is exactly 43 base64url characters.
const thumbprintPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * Throws `CERTKEEPER_ERR_INVALID_OPTION` unless `keyAuthorization` is `<token>.<thumbprint>` for this token.
 * Serving anything else cannot pass validation and only spends the authorization-failure budget.
 * The token MUST have been checked with {@link assertValidChallengeToken} first.
 */
export function assertValidKeyAuthorization(
  token: string,
  keyAuthorization: unknown,
  challengeType = 'http-01',
): asserts keyAuthorization is string {
  const prefix = `${token}.`;
  if (
    typeof keyAuthorization === 'string' &&
    keyAuthorization.startsWith(prefix) &&
    thumbprintPattern.test(keyAuthorization.slice(prefix.length))
  ) {
    return;
  }
  throw new CertkeeperError(
    ErrorCodes.INVALID_OPTION,
    `The key authorization given for ${challengeType} token ${token} is not "<token>.<base64url SHA-256 JWK thumbprint>" ` +
      'for that token (RFC 8555 §8.1).',
    {
      hint: 'Nothing was published. Compute it from the same challenge and the account key that ordered it.',
    },
  );
}
