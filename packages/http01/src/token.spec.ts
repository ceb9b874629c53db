import { randomBytes } from 'node:crypto';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import {
  assertValidChallengeToken,
  isValidChallengeToken,
  MAX_TOKEN_LENGTH,
  MIN_TOKEN_LENGTH,
} from './token.js';

describe('challenge token validation (RFC 8555 §8.3)', () => {
  it('accepts the tokens CAs send: 32 random bytes in base64url', () => {
    for (let i = 0; i < 50; i++)
      expect(isValidChallengeToken(randomBytes(32).toString('base64url'))).toBe(true);
    expect(isValidChallengeToken('LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0')).toBe(true);
  });

  it('bounds the length: 128 bits of entropy at least, a file name at most', () => {
    expect(isValidChallengeToken('a'.repeat(MIN_TOKEN_LENGTH))).toBe(true);
    expect(isValidChallengeToken('a'.repeat(MIN_TOKEN_LENGTH - 1))).toBe(false);
    expect(isValidChallengeToken('a'.repeat(MAX_TOKEN_LENGTH))).toBe(true);
    expect(isValidChallengeToken('a'.repeat(MAX_TOKEN_LENGTH + 1))).toBe(false);
  });

  it.each([
    ['path traversal', '../../../../etc/passwd-aaaaaaaaaaaaaa'],
    ['a slash', 'aaaaaaaaaaaa/aaaaaaaaaaaaaa'],
    ['a backslash', 'aaaaaaaaaaaa\\aaaaaaaaaaaaaa'],
    ['a dot', 'aaaaaaaaaaaa.aaaaaaaaaaaaaa'],
    ['base64 padding', 'aaaaaaaaaaaaaaaaaaaaaaaaaa=='],
    ['standard base64 characters', 'aaaaaaaaaaaa+aaaaaaaaaaaa/a'],
    ['percent-encoding', 'aaaaaaaaaaaa%2e%2eaaaaaaaaaa'],
    ['a NUL byte', 'aaaaaaaaaaaa\0aaaaaaaaaaaaaa'],
    ['a trailing newline', `${'a'.repeat(30)}\n`],
    ['non-ASCII letters', 'aaaaaaaaaaaaéaaaaaaaaaaaaa'],
  ])('refuses %s', (_label, token) => {
    expect(isValidChallengeToken(token)).toBe(false);
    expect(() => assertValidChallengeToken(token)).toThrow(CertkeeperError);
  });

  it('refuses what is not a string', () => {
    expect(isValidChallengeToken(undefined)).toBe(false);
    expect(isValidChallengeToken(12345)).toBe(false);
  });

  it('throws a coded error that shows the token safely and says nothing was published', () => {
    const hostile = `../${'x'.repeat(500)}\r\nInjected: header`;
    const error = catchError(() => assertValidChallengeToken(hostile));
    expect(error.code).toBe(ErrorCodes.INVALID_CHALLENGE_TOKEN);
    expect(error.message).toContain('base64url');
    expect(error.message).toContain('Nothing was published');
    // JSON-quoted and truncated: no raw CR/LF, no 500-character dump.
    expect(error.message).not.toMatch(/\r|\nInjected/);
    expect(error.message.length).toBeLessThan(400);
  });
});

function catchError(fn: () => void): CertkeeperError {
  try {
    fn();
  } catch (error) {
    if (CertkeeperError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a CertkeeperError');
}
