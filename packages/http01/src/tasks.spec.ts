import { randomBytes } from 'node:crypto';
import { type ChallengeTask, ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { checkHttp01Tasks, supportsHttp01 } from './tasks.js';

function task(overrides: Partial<ChallengeTask> = {}): ChallengeTask {
  const token = randomBytes(32).toString('base64url');
  return {
    identifier: { type: 'dns', value: 'www.example.test' },
    wildcard: false,
    type: 'http-01',
    token,
    keyAuthorization: `${token}.${randomBytes(32).toString('base64url')}`,
    authorizationUrl: `https://ca.example.test/authz/${token}`,
    ...overrides,
  };
}

describe('http-01 task checks', () => {
  it('supports DNS names and IP addresses but not wildcards', () => {
    expect(supportsHttp01({ type: 'dns', value: 'example.test' }, false)).toBe(true);
    expect(supportsHttp01({ type: 'ip', value: '127.0.0.1' }, false)).toBe(true);
    expect(supportsHttp01({ type: 'ip', value: '::1' }, false)).toBe(true);
    expect(supportsHttp01({ type: 'dns', value: 'example.test' }, true)).toBe(false);
    expect(supportsHttp01({ type: 'dns', value: '*.example.test' }, false)).toBe(false);
  });

  it('accepts well-formed http-01 tasks', () => {
    expect(() => checkHttp01Tasks([task(), task()], {})).not.toThrow();
  });

  it.each([
    ['a dns-01 task', { type: 'dns-01' as const }, ErrorCodes.SOLVER_FAILED, /dns-01 challenge for www/],
    ['a wildcard', { wildcard: true }, ErrorCodes.SOLVER_FAILED, /wildcard \*\.www\.example\.test/],
    [
      'a traversal token',
      { token: '../../../../../../etc/passwd' },
      ErrorCodes.INVALID_CHALLENGE_TOKEN,
      /www/,
    ],
    [
      'a foreign key authorization',
      { keyAuthorization: 'x.y' },
      ErrorCodes.INVALID_OPTION,
      /key authorization/,
    ],
  ])('refuses the whole batch when one task has %s', (_label, bad, code, message) => {
    expect(() => checkHttp01Tasks([task(), task(bad)], {})).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });

  it('refuses to start when the signal has fired', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => checkHttp01Tasks([task()], { signal: controller.signal })).toThrow(
      expect.objectContaining({ code: ErrorCodes.ABORTED }),
    );
  });
});
