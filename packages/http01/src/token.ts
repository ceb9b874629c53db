import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/** The fixed path prefix of every http-01 resource (RFC 8555 §8.3). */
export const ACME_CHALLENGE_PATH = '/.well-known/acme-challenge/';

/**
 * Shortest token accepted: RFC 8555 §8.3 requires at least 128 bits of entropy, and 22 base64url characters
 * (132 bits) is the least that can carry them. Let's Encrypt and Pebble send 43 (32 random bytes).
 */
export const MIN_TOKEN_LENGTH = 22;

/** Longest token accepted: far above what any CA sends, far below file-name limits (255 bytes). */
export const MAX_TOKEN_LENGTH = 128;

// base64url alphabet without padding (RFC 8555 §8.3, RFC 4648 §5). No '.', '/', '%' or '\\' can get through,
// so a valid token is always a single, literal path segment.
const tokenPattern = new RegExp(`^[A-Za-z0-9_-]{${MIN_TOKEN_LENGTH},${MAX_TOKEN_LENGTH}}$`);

/** Whether `token` is a well-formed challenge token: base64url only, no padding, plausible length. */
export function isValidChallengeToken(token: unknown): token is string {
  return typeof token === 'string' && tokenPattern.test(token);
}

/**
 * Throws `CERTKEEPER_ERR_INVALID_CHALLENGE_TOKEN` unless `token` is well-formed. Every solver calls this before a
 * token is used as a map key, a URL segment or a file name.
 */
export function assertValidChallengeToken(
  token: unknown,
  what = 'http-01 challenge',
): asserts token is string {
  if (isValidChallengeToken(token)) return;
  throw new CertkeeperError(
    ErrorCodes.INVALID_CHALLENGE_TOKEN,
    `Refusing the ${what} token ${describeToken(token)}: RFC 8555 §8.3 tokens are ${MIN_TOKEN_LENGTH} to ` +
      `${MAX_TOKEN_LENGTH} base64url characters (A-Z a-z 0-9 - _) without padding.`,
    { hint: 'Nothing was published. Check that the token comes unchanged from the CA challenge object.' },
  );
}

/** A short, printable description of a rejected token, so a hostile value cannot flood or forge a log line. */
function describeToken(token: unknown): string {
  if (typeof token !== 'string') return `of type ${typeof token}`;
  const shown = JSON.stringify(token.length > 60 ? `${token.slice(0, 60)}…` : token);
  return `${shown} (${token.length} characters)`;
}
