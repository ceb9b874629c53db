import { ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { retryAfterOf, toProviderError } from './cloudflare-errors.js';

const apiError = (
  status: number,
  errors: { code: number; message: string }[],
  headers: Record<string, string> = {},
) =>
  Object.assign(new Error(`${status} ${JSON.stringify({ errors })}`), {
    status,
    errors,
    headers: new Headers(headers),
  });

describe('Cloudflare error mapping', () => {
  it('reads Retry-After as seconds, as a date, and retry-after-ms', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterOf(new Headers({ 'retry-after': '30' }), now)?.toISOString()).toBe(
      '2026-01-01T00:00:30.000Z',
    );
    expect(
      retryAfterOf(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:05:00 GMT' }), now)?.toISOString(),
    ).toBe('2026-01-01T00:05:00.000Z');
    expect(retryAfterOf(new Headers({ 'retry-after-ms': '1500' }), now)?.toISOString()).toBe(
      '2026-01-01T00:00:01.500Z',
    );
    expect(retryAfterOf(new Headers(), now)).toBeUndefined();
  });

  it('maps tokens, rate limits, unknown zones and server errors to the port codes', () => {
    expect(
      toProviderError(apiError(403, [{ code: 10000, message: 'Authentication error' }]), 'x', 'example.test')
        .code,
    ).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(toProviderError(apiError(400, [{ code: 9109, message: 'Invalid access token' }]), 'x').code).toBe(
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
    );
    const limited = toProviderError(
      apiError(429, [{ code: 971, message: 'Please wait' }], { 'retry-after': '120' }),
      'x',
    );
    expect([limited.code, limited.retryable]).toEqual([ErrorCodes.DNS_PROVIDER_FAILED, true]);
    expect(limited.retryAfter!.getTime() - Date.now()).toBeGreaterThan(100_000);
    const noRoute = apiError(400, [
      { code: 7003, message: 'Could not route to /zones/x' },
      { code: 7000, message: 'No route for that URI' },
    ]);
    expect(toProviderError(noRoute, 'x', 'example.test').code).toBe(ErrorCodes.DNS_ZONE_NOT_FOUND);
    const server = toProviderError(apiError(502, []), 'x');
    expect([server.code, server.retryable]).toEqual([ErrorCodes.DNS_PROVIDER_FAILED, true]);
    const invalid = toProviderError(apiError(400, [{ code: 9021, message: 'Invalid TTL' }]), 'create');
    expect([invalid.retryable, invalid.message.includes('9021 Invalid TTL')]).toEqual([false, true]);
  });
});
