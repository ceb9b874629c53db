import type { CertificateStatus, StatusReport } from '@certkeeper/manager';
import { describe, expect, it } from 'vitest';
import { checkStatus, withPersistWarnings } from './status-check.js';

const now = new Date('2026-06-01T00:00:00Z');
const day = 86_400_000;
const at = (offsetDays: number) => new Date(now.getTime() + offsetDays * day).toISOString();

function certificate(name: string, overrides: Partial<CertificateStatus> = {}): CertificateStatus {
  return {
    identifiers: [name],
    configured: true,
    state: 'valid',
    notAfter: at(60),
    renewal: { at: at(30), basis: 'lifetime', explanation: '2/3 of the 90-day lifetime' },
    budgets: [],
    ...overrides,
  } as CertificateStatus;
}

const report = (...certificates: CertificateStatus[]): StatusReport => ({
  directoryUrl: 'https://ca.test/dir',
  generatedAt: now.toISOString(),
  certificates,
});

describe('checkStatus (status --check)', () => {
  it('is OK (0) when every certificate is valid, on time and deployed', () => {
    const result = checkStatus(
      report(
        certificate('a.test'),
        certificate('b.test', {
          deployment: { at: at(-1), ok: true, attempts: 0, current: true },
        }),
      ),
      now,
    );
    expect(result).toMatchObject({
      code: 0,
      line: 'OK: 2 certificates valid, renewing on time and deployed',
    });
  });

  it('is a PROBLEM (1) for expired, revoked, never issued, failing, undeployed and overdue certificates', () => {
    const result = checkStatus(
      report(
        certificate('expired.test', { state: 'expired', notAfter: at(-2) }),
        certificate('revoked.test', { state: 'revoked' }),
        certificate('missing.test', { state: 'missing' }),
        certificate('failing.test', { lastError: { reason: 'x', failures: 3, at: at(0) } }),
        certificate('deploy.test', { deployment: { at: at(0), ok: false, attempts: 1, current: true } }),
        certificate('behind.test', { deployment: { at: at(0), ok: true, attempts: 0, current: false } }),
        certificate('overdue.test', {
          state: 'due',
          renewal: { at: at(-3), basis: 'lifetime', explanation: '' },
        }),
        // Due since an hour: the next cron run renews it, nothing to alert on yet.
        certificate('due.test', {
          state: 'due',
          renewal: {
            at: new Date(now.getTime() - 3_600_000).toISOString(),
            basis: 'lifetime',
            explanation: '',
          },
        }),
        certificate('fine.test'),
      ),
      now,
    );
    expect(result.code).toBe(1);
    expect(result.line).toBe(
      'PROBLEM: 7 of 9 certificates: expired.test expired 2 d ago; revoked.test revoked; missing.test not issued yet; failing.test failing (3 in a row); deploy.test deploy failed; behind.test not deployed; overdue.test renewal overdue (due 3 d ago)',
    );
  });

  it('is a PROBLEM when there is nothing to check: a monitor pointed at the wrong store stays red', () => {
    expect(checkStatus(report(), now)).toMatchObject({
      code: 1,
      line: expect.stringMatching(/^PROBLEM: no certificates/),
    });
  });
});

describe('withPersistWarnings (status --check and dns-persist-01 records)', () => {
  const lapsing = {
    names: ['a.test'],
    warning: 'the dns-persist-01 record for a.test expires on 2026-06-10',
  };

  it('leaves the result alone without warnings, and turns OK into PROBLEM (exit 1) with one', () => {
    const ok = checkStatus(report(certificate('a.test')), now);
    expect(withPersistWarnings(ok, [])).toBe(ok);
    const result = withPersistWarnings(ok, [lapsing]);
    expect(result.code).toBe(1);
    expect(result.line).toBe(`PROBLEM: ${lapsing.warning}`);
    expect(result.problems).toEqual([{ names: ['a.test'], problem: lapsing.warning }]);
  });

  it('appends the warning to a PROBLEM line', () => {
    const failing = checkStatus(report(certificate('b.test', { state: 'expired', notAfter: at(-1) })), now);
    const result = withPersistWarnings(failing, [lapsing]);
    expect(result.code).toBe(1);
    expect(result.line).toBe(`${failing.line}; ${lapsing.warning}`);
  });
});
