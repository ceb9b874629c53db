import { describe, expect, it } from 'vitest';
import { looksLikeSecretName, processSecretRedactor, REDACTED, SecretRedactor } from './secret-redactor.js';

const SECRET = 'tok3n/With+Special=chars"and\\more';

function redactorWith(...values: string[]): SecretRedactor {
  const redactor = new SecretRedactor();
  for (const value of values) redactor.register(value);
  return redactor;
}

describe('SecretRedactor', () => {
  it('scrubs the raw value, its JSON-escaped and URL-encoded forms', () => {
    const redactor = redactorWith(SECRET);
    for (const form of [SECRET, JSON.stringify(SECRET).slice(1, -1), encodeURIComponent(SECRET)]) {
      expect(redactor.redact(`before ${form} after`)).toBe(`before ${REDACTED} after`);
    }
    expect(redactor.redact(JSON.stringify({ header: `Bearer ${SECRET}` }))).not.toContain('tok3n');
  });

  it('scrubs base64 of user:secret whatever the user name, std and url alphabets', () => {
    const redactor = redactorWith(SECRET);
    for (const user of ['', 'a', 'ab', 'abc', 'certkeeper-user']) {
      const basic = Buffer.from(`${user}:${SECRET}`).toString('base64');
      const out = redactor.redact(`Authorization: Basic ${basic}`);
      expect(out, user).toContain(REDACTED);
      // At most a few characters that mix the user name's bytes with the secret's survive on each side.
      expect(out.replace(REDACTED, '').length, user).toBeLessThan(
        `Authorization: Basic ${basic}`.length - 30,
      );
      expect(redactor.redact(Buffer.from(`${user}:${SECRET}`).toString('base64url'))).toContain(REDACTED);
    }
  });

  it('ignores values too short to tell apart from words, and leaves other text alone', () => {
    const redactor = redactorWith('abc', '', SECRET);
    expect(redactor.redact('abc def')).toBe('abc def');
    expect(redactor.redact('nothing secret here')).toBe('nothing secret here');
  });

  it('scrubs every string of a JSON-like value, keeping keys and other types', () => {
    const redactor = redactorWith(SECRET);
    const value = { reason: `HTTP 401: ${SECRET}`, list: [SECRET, 3], nested: { ok: true }, at: null };
    expect(redactor.redactValue(value)).toEqual({
      reason: `HTTP 401: ${REDACTED}`,
      list: [REDACTED, 3],
      nested: { ok: true },
      at: null,
    });
  });

  it('is one instance per process', () => {
    expect(processSecretRedactor()).toBe(processSecretRedactor());
  });

  it('knows credential-looking names', () => {
    for (const name of [
      'apiToken',
      'keySecret',
      'AWS_SECRET_ACCESS_KEY',
      'X-API-Key',
      'password',
      'HOOK_CREDENTIALS',
    ])
      expect(looksLikeSecretName(name), name).toBe(true);
    for (const name of ['server', 'region', 'zone', 'timeoutMs', 'authoritativeServers'])
      expect(looksLikeSecretName(name), name).toBe(false);
  });
});
