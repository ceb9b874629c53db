import { describe, expect, it } from 'vitest';
import type { ChallengeSolver, ChallengeType } from '../engine/challenge-solver.js';
import { ErrorCodes } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';
import { parseIdentifiers } from '../identifiers/parse-identifiers.js';
import { preflight, preflightFindings } from './preflight.js';
import { PreflightError } from './preflight-error.js';

const solver = (type: ChallengeType, supports?: ChallengeSolver['supports']): ChallengeSolver => ({
  type,
  ...(supports ? { supports } : {}),
  publish: async () => [],
  cleanup: async () => undefined,
});
const http01 = solver('http-01');
const dns01 = solver('dns-01');
const tlsAlpn01 = solver('tls-alpn-01');
// The DNS solver with dns-account-01 allowed answers both DNS types.
const dnsAccount01: ChallengeSolver = { ...solver('dns-01'), types: ['dns-account-01', 'dns-01'] };
const onlyDnsAccount01 = solver('dns-account-01');
const ids = (...names: string[]): Identifier[] =>
  parseIdentifiers(names).map(({ type, value }) => ({ type, value }));

describe('preflight: what can be known before ordering', () => {
  it.each([
    [['example.test'], [http01]],
    [['example.test'], [dns01]],
    [['example.test'], [tlsAlpn01]],
    [['*.example.test', 'example.test'], [dns01]],
    [
      ['*.example.test', 'example.test'],
      [http01, dns01],
    ],
    [['192.0.2.1', '2001:db8::1'], [http01]],
    [['192.0.2.1'], [tlsAlpn01]],
    [['*.example.test', 'example.test'], [dnsAccount01]],
    [['*.example.test', 'example.test'], [onlyDnsAccount01]],
    [
      ['192.0.2.1', '*.example.test'],
      [dns01, http01],
    ],
  ])('lets %j through with %j', (names, solvers) => {
    expect(preflightFindings({ identifiers: ids(...names), solvers })).toEqual([]);
  });

  it('refuses a wildcard with only http-01, naming it, the type it needs and the config key and flag', () => {
    const error = rejection(() =>
      preflight({ identifiers: ids('example.test', '*.example.test'), solvers: [http01] }),
    );
    expect(error.code).toBe(ErrorCodes.PREFLIGHT_FAILED);
    expect(error.findings).toEqual([
      {
        check: 'solver',
        subject: '*.example.test',
        reason:
          'a wildcard can only be proven with dns-01 or dns-account-01 or dns-persist-01; configured solvers: http-01',
        fix: expect.stringContaining('--dns <plugin>'),
      },
    ]);
    expect(error.message).toContain('nothing was sent to the CA');
    expect(error.message).toContain('*.example.test');
    expect(error.message).toContain('solvers: [{ type: dns-01, provider: <plugin> }]');
  });

  it('refuses an IP address with only the DNS types (dns-account-01 proves DNS names and wildcards, never IPs)', () => {
    const findings = preflightFindings({ identifiers: ids('192.0.2.1'), solvers: [dnsAccount01] });
    expect(findings.map((f) => f.reason)).toEqual([
      'an IP address can only be proven with http-01 or tls-alpn-01; configured solvers: dns-01',
    ]);
  });

  it('refuses an IP address with only dns-01 (RFC 8738 §7), pointing at the http-01 options', () => {
    const [finding] = preflightFindings({ identifiers: ids('192.0.2.1'), solvers: [dns01] });
    expect(finding).toMatchObject({
      subject: '192.0.2.1',
      reason: 'an IP address can only be proven with http-01 or tls-alpn-01; configured solvers: dns-01',
    });
    expect(finding?.fix).toContain('--http-webroot <dir>');
    expect(finding?.fix).toContain('http-01-standalone');
    expect(finding?.fix).toContain('--tls-alpn-standalone');
  });

  it('lets a tls-alpn-01 solver prove DNS names and IP addresses (RFC 8737, RFC 8738 §6), never a wildcard', () => {
    const tlsAlpn01 = solver('tls-alpn-01');
    expect(
      preflightFindings({ identifiers: ids('a.example.test', '192.0.2.1'), solvers: [tlsAlpn01] }),
    ).toEqual([]);
    expect(preflightFindings({ identifiers: ids('*.example.test'), solvers: [tlsAlpn01] })).toEqual([
      expect.objectContaining({
        subject: '*.example.test',
        reason:
          'a wildcard can only be proven with dns-01 or dns-account-01 or dns-persist-01; configured solvers: tls-alpn-01',
      }),
    ]);
  });

  it('refuses every identifier when no solver is configured', () => {
    const findings = preflightFindings({
      identifiers: ids('a.example.test', '*.b.example.test'),
      solvers: [],
    });
    expect(findings.map((f) => [f.subject, f.reason])).toEqual([
      [
        'a.example.test',
        'a name can only be proven with http-01 or tls-alpn-01 or dns-01 or dns-account-01 or dns-persist-01; configured solvers: none',
      ],
      [
        '*.b.example.test',
        'a wildcard can only be proven with dns-01 or dns-account-01 or dns-persist-01; configured solvers: none',
      ],
    ]);
  });

  it('honours a solver’s own supports(): a fitting type that refuses the name is named', () => {
    const onlyA = solver('http-01', (identifier) => identifier.value === 'a.example.test');
    const findings = preflightFindings({
      identifiers: ids('a.example.test', 'b.example.test'),
      solvers: [onlyA],
    });
    expect(findings).toEqual([
      expect.objectContaining({
        subject: 'b.example.test',
        reason: 'the configured http-01 solver does not serve it',
      }),
    ]);
  });

  it('never trusts supports() beyond the RFC: an http-01 solver claiming wildcards does not pass', () => {
    const boastful = solver('http-01', () => true);
    expect(preflightFindings({ identifiers: ids('*.example.test'), solvers: [boastful] })).toHaveLength(1);
  });

  it('checks contacts and lists every finding at once', () => {
    const error = rejection(() =>
      preflight({
        identifiers: ids('*.example.test'),
        solvers: [http01],
        contact: ['mailto:ops@example.test', 'mailto:a@example.test,b@example.test', 'ops@example.test'],
      }),
    );
    expect(error.findings.map((f) => [f.check, f.subject])).toEqual([
      ['solver', '*.example.test'],
      ['contact', 'mailto:a@example.test,b@example.test'],
      ['contact', 'ops@example.test'],
    ]);
    expect(error.findings[1]?.fix).toContain('account.email');
    expect(error.findings[1]?.fix).toContain('--email <address>');
  });
});

function rejection(run: () => void): PreflightError {
  try {
    run();
  } catch (error) {
    if (error instanceof PreflightError) return error;
    throw error;
  }
  throw new Error('expected a PreflightError');
}
