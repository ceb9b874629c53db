import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { Http01ListenError, toListenError } from './listen-error.js';

function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`listen ${code}`), { code, syscall: 'listen' });
}

describe('toListenError', () => {
  // EADDRINUSE and EACCES are also produced for real in test/http01; EADDRNOTAVAIL and unknown codes only here.
  it.each([
    ['EADDRINUSE', 'address-in-use', /already in use/, true],
    ['EACCES', 'permission-denied', /below 1024 need privileges/, false],
    ['EADDRNOTAVAIL', 'address-not-available', /not assigned/, false],
    ['EINVAL', 'other', /EINVAL/, false],
  ] as const)('maps %s to reason %s', (code, reason, message, retryable) => {
    const cause = systemError(code);
    const error = toListenError(cause, '192.0.2.1', 80);
    expect(error).toBeInstanceOf(Http01ListenError);
    expect(CertkeeperError.isInstance(error)).toBe(true);
    expect(error.code).toBe(ErrorCodes.LISTEN_FAILED);
    expect(error.reason).toBe(reason);
    expect(error.retryable).toBe(retryable);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('192.0.2.1:80');
    expect(error.hint).toBeTruthy();
    expect(error.cause).toBe(cause);
  });

  it('brackets IPv6 addresses', () => {
    expect(toListenError(systemError('EADDRINUSE'), '::1', 8080).message).toContain('[::1]:8080');
  });
});
