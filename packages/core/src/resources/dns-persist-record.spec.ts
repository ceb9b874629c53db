import { describe, expect, it } from 'vitest';
import {
  dnsPersistRecordAuthorizes,
  dnsPersistRecordName,
  dnsPersistRecordValue,
  parseDnsPersistRecord,
} from './dns-persist-record.js';

const account = 'https://ca.test/acme/acct/1234';
const at = new Date('2026-12-06T12:00:00Z');
const expected = { issuerDomainNames: ['ca.test', 'ca2.test'], accountUri: account, wildcard: false, at };

describe('dns-persist-01 record (draft-ietf-acme-dns-persist-00)', () => {
  it('puts the record at _validation-persist.<base name>, a wildcard at its base', () => {
    expect(dnsPersistRecordName('WWW.Example.test.')).toBe('_validation-persist.www.example.test');
    expect(dnsPersistRecordName('*.example.test')).toBe('_validation-persist.example.test');
  });

  it('writes issuer; accounturi[; policy=wildcard][; persistUntil=<seconds>] in that order', () => {
    expect(dnsPersistRecordValue({ issuerDomainName: 'ca.test', accountUri: account })).toBe(
      `ca.test; accounturi=${account}`,
    );
    expect(
      dnsPersistRecordValue({
        issuerDomainName: 'ca.test',
        accountUri: account,
        wildcard: true,
        persistUntil: new Date('2027-01-01T00:00:00.900Z'),
      }),
    ).toBe(`ca.test; accounturi=${account}; policy=wildcard; persistUntil=1798761600`);
  });

  it('reads back what it writes', () => {
    const value = dnsPersistRecordValue({
      issuerDomainName: 'ca.test',
      accountUri: account,
      wildcard: true,
      persistUntil: new Date(1798761600_000),
    });
    expect(parseDnsPersistRecord(value)).toEqual({
      ok: true,
      issuerDomainName: 'ca.test',
      accountUri: account,
      wildcard: true,
      persistUntil: new Date(1798761600_000),
    });
  });

  it('reads tags case-insensitively with whitespace around them, as the CA does', () => {
    const parsed = parseDnsPersistRecord(` ca.test ;\tAccountURI = ${account} ; POLICY=Wildcard `);
    expect(parsed).toMatchObject({ ok: true, accountUri: account, wildcard: true });
  });

  it.each([
    [`ca.test; accounturi=${account};`, 'malformed parameter ""'],
    [`ca.test; accounturi=${account}; accounturi=${account}`, 'repeated'],
    ['ca.test; policy=wildcard', 'no accounturi'],
    [`ca.test; accounturi=${account}; persistUntil=tomorrow`, 'malformed persistUntil'],
    [`ca.test; accounturi=${account} x`, 'malformed value'],
    ['; accounturi=x', 'no issuer domain name'],
  ])('refuses %s (%s)', (value, reason) => {
    const parsed = parseDnsPersistRecord(value);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });

  it('authorizes only the CA, the account, a wildcard with policy=wildcard, before persistUntil', () => {
    const good = `ca2.test; accounturi=${account}`;
    expect(dnsPersistRecordAuthorizes(good, expected)).toBe(true);
    expect(dnsPersistRecordAuthorizes(`other.test; accounturi=${account}`, expected)).toBe(false);
    expect(dnsPersistRecordAuthorizes(`ca.test; accounturi=${account}/`, expected)).toBe(false);
    expect(dnsPersistRecordAuthorizes(good, { ...expected, wildcard: true })).toBe(false);
    expect(dnsPersistRecordAuthorizes(`${good}; policy=wildcard`, { ...expected, wildcard: true })).toBe(
      true,
    );
    // A policy other than wildcard counts as absent.
    expect(dnsPersistRecordAuthorizes(`${good}; policy=other`, { ...expected, wildcard: true })).toBe(false);
    const until = Math.floor(at.getTime() / 1000);
    expect(dnsPersistRecordAuthorizes(`${good}; persistUntil=${until}`, expected)).toBe(true);
    expect(dnsPersistRecordAuthorizes(`${good}; persistUntil=${until - 1}`, expected)).toBe(false);
  });
});
