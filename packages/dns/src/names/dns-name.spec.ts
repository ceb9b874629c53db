import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import {
  absoluteName,
  challengeName,
  isInZone,
  normalizeName,
  parentName,
  relativeName,
} from './dns-name.js';

describe('dns names', () => {
  it('normalises case and the trailing dot', () => {
    expect(normalizeName('WWW.Example.TEST.')).toBe('www.example.test');
  });

  it('rejects empty labels and over-long labels with a typed error', () => {
    for (const bad of ['', 'a..test', `${'x'.repeat(64)}.test`]) {
      try {
        normalizeName(bad);
        expect.unreachable(`"${bad}" was accepted`);
      } catch (error) {
        expect(CertkeeperError.isInstance(error) && error.code).toBe(ErrorCodes.INVALID_OPTION);
      }
    }
  });

  it('puts dns-account-01 records at _<account label>._acme-challenge, shared by an apex and its wildcard', () => {
    // The draft's example account https://example.com/acme/acct/ExampleAccount has the label ujmmovf2vn55tgye.
    expect(challengeName('Example.org', 'ujmmovf2vn55tgye')).toBe(
      '_ujmmovf2vn55tgye._acme-challenge.example.org',
    );
    expect(challengeName('*.example.org', 'ujmmovf2vn55tgye')).toBe(
      '_ujmmovf2vn55tgye._acme-challenge.example.org',
    );
    for (const bad of ['', 'UJMM', 'a.b', '_x', 'x'.repeat(63)]) {
      expect(() => challengeName('example.org', bad)).toThrow(/not a dns-account-01 account label/);
    }
  });

  it('maps an apex and its wildcard to the same challenge name', () => {
    expect(challengeName('example.test')).toBe('_acme-challenge.example.test');
    expect(challengeName('*.Example.test')).toBe('_acme-challenge.example.test');
  });

  it('converts between relative and absolute names, with @ for the apex', () => {
    expect(relativeName('example.test', 'example.test')).toBe('@');
    expect(relativeName('_acme-challenge.a.b.example.test', 'example.test')).toBe('_acme-challenge.a.b');
    expect(absoluteName('@', 'example.test')).toBe('example.test');
    expect(absoluteName('_acme-challenge.A', 'example.test')).toBe('_acme-challenge.a.example.test');
    expect(() => relativeName('a.other.test', 'example.test')).toThrow(/not inside zone/);
  });

  it('does not treat a name that merely ends with the zone text as inside it', () => {
    expect(isInZone('badexample.test', 'example.test')).toBe(false);
    expect(isInZone('a.example.test', 'example.test')).toBe(true);
    expect(parentName('a.example.test')).toBe('example.test');
    expect(parentName('test')).toBeUndefined();
  });
});
