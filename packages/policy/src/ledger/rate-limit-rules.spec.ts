import { describe, expect, it } from 'vitest';
import { letsEncryptRateLimits, noRateLimits, rateLimitsFor } from './rate-limit-rules.js';

describe('rateLimitsFor', () => {
  it("applies Let's Encrypt's limits to Let's Encrypt production only", () => {
    expect(rateLimitsFor('https://acme-v02.api.letsencrypt.org/directory')).toBe(letsEncryptRateLimits);
    expect(rateLimitsFor('https://acme-staging-v02.api.letsencrypt.org/directory')).toBe(noRateLimits);
    expect(rateLimitsFor('https://127.0.0.1:14000/dir')).toBe(noRateLimits);
    expect(rateLimitsFor('not a url')).toBe(noRateLimits);
  });
});
