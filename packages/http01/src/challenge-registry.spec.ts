import { randomBytes } from 'node:crypto';
import { ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { Http01ChallengeRegistry } from './challenge-registry.js';

const token = randomBytes(32).toString('base64url');
const thumbprint = randomBytes(32).toString('base64url');
const keyAuthorization = `${token}.${thumbprint}`;

describe('Http01ChallengeRegistry', () => {
  it('stores, replaces and deletes responses by token', () => {
    const registry = new Http01ChallengeRegistry();
    registry.set(token, keyAuthorization);
    expect(registry.get(token)).toBe(keyAuthorization);
    expect(registry.size).toBe(1);

    // Publishing again is idempotent; a new value for the same token replaces the old one.
    registry.set(token, keyAuthorization);
    expect(registry.size).toBe(1);
    const other = `${token}.${randomBytes(32).toString('base64url')}`;
    registry.set(token, other);
    expect(registry.get(token)).toBe(other);

    expect(registry.delete(token)).toBe(true);
    expect(registry.delete(token)).toBe(false);
    expect(registry.has(token)).toBe(false);
    expect(registry.size).toBe(0);
  });

  it('refuses a malformed token before storing anything', () => {
    const registry = new Http01ChallengeRegistry();
    expect(() => registry.set('../../etc/passwd/aaaaaaaaaaaaaaa', keyAuthorization)).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_CHALLENGE_TOKEN }),
    );
    expect(registry.size).toBe(0);
  });

  it.each([
    ['another token', `${randomBytes(32).toString('base64url')}.${thumbprint}`],
    ['no thumbprint', `${token}.`],
    ['a short thumbprint', `${token}.${thumbprint.slice(1)}`],
    ['a trailing newline', `${keyAuthorization}\n`],
    ['the token alone', token],
  ])('refuses a key authorization with %s', (_label, value) => {
    const registry = new Http01ChallengeRegistry();
    expect(() => registry.set(token, value)).toThrow(
      expect.objectContaining({ code: ErrorCodes.INVALID_OPTION }),
    );
    expect(registry.size).toBe(0);
  });

  it('answers undefined for unknown and malformed tokens instead of throwing', () => {
    const registry = new Http01ChallengeRegistry();
    registry.set(token, keyAuthorization);
    expect(registry.get(randomBytes(32).toString('base64url'))).toBeUndefined();
    expect(registry.get('..')).toBeUndefined();
    expect(registry.get('__proto__')).toBeUndefined();
    expect(registry.get('')).toBeUndefined();
  });
});
