import {
  CertkeeperError,
  createProblemError,
  ErrorCodes,
  NetworkError,
  OrderFailedError,
} from '@certkeeper/core';
import { MemoryStore } from '@certkeeper/store';
import { describe, expect, it } from 'vitest';
import type { CertificateRequest } from '../certificate-request.js';
import { letsEncryptRateLimits } from '../ledger/rate-limit-rules.js';
import { setBackoffKey } from './backoff-keys.js';
import type { IssueFunction } from './issue-function.js';
import { RenewalCoordinator } from './renewal-coordinator.js';

const request: CertificateRequest = {
  directoryUrl: 'https://ca.test/dir',
  accountUrl: 'https://ca.test/acct/1',
  identifiers: [{ type: 'dns', value: 'a.example.test' }],
  configFingerprint: 'sha256:one',
};
const problem = (type: string, status: number) =>
  createProblemError(
    { type: `urn:ietf:params:acme:error:${type}`, detail: `${type} (test)`, status },
    { method: 'POST', url: 'https://ca.test/new-order', retryAfter: new Date('2026-11-22T02:00:00Z') },
  );
const tlsUntrusted = new NetworkError(
  'GET',
  'https://ca.test/dir',
  Object.assign(new Error('self signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
);
const refused = new NetworkError(
  'GET',
  'https://ca.test/dir',
  Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
);

/** A coordinator on a memory store and a fixed clock, and an issue function that fails as told and counts calls. */
function setup() {
  const store = new MemoryStore();
  const now = new Date('2026-11-22T00:00:00Z');
  const coordinator = new RenewalCoordinator({
    store,
    clock: { now: () => now },
    rateLimits: letsEncryptRateLimits,
    backoff: { random: () => 0.5 },
  });
  let calls = 0;
  const failingWith =
    (error: unknown): IssueFunction =>
    async () => {
      calls++;
      throw error;
    };
  return { store, coordinator, failingWith, calls: () => calls };
}

describe('RenewalCoordinator: backoff is for the CA’s answers only', () => {
  it.each([
    ['an untrusted CA certificate', tlsUntrusted, 'local'],
    [
      'no solver for a challenge type',
      new OrderFailedError({ code: ErrorCodes.NO_SOLVER, message: 'x' }),
      'local',
    ],
    ['a configuration error', new CertkeeperError(ErrorCodes.INVALID_OPTION, 'x'), 'local'],
    ['zone discovery finding nothing', new CertkeeperError(ErrorCodes.DNS_ZONE_NOT_FOUND, 'x'), 'local'],
    ['a bug (plain Error)', new TypeError('x is undefined'), 'local'],
    ['a refused connection', refused, 'network'],
  ])('%s fails as %s, records no backoff, and the next run tries at once', async (_what, error, fault) => {
    const { store, coordinator, failingWith, calls } = setup();
    const first = await coordinator.ensure(request, failingWith(error));
    expect(first).toMatchObject({ type: 'failed', fault, failures: 0 });
    expect(first.reason).toContain('no backoff recorded');
    expect(await store.getBackoff(setBackoffKey(request))).toBeUndefined();
    const second = await coordinator.ensure(request, failingWith(error));
    expect(second.type).toBe('failed');
    expect(calls()).toBe(2);
  });

  it.each([
    ['a problem document', problem('rejectedIdentifier', 400)],
    [
      'a failed validation',
      new OrderFailedError({
        code: ErrorCodes.AUTHORIZATION_FAILED,
        message: 'The CA could not validate a.example.test',
        identifier: { type: 'dns', value: 'a.example.test' },
      }),
    ],
    ['a CA that did not finish in time', new OrderFailedError({ code: ErrorCodes.TIMEOUT, message: 'x' })],
  ])('%s is the CA’s answer: a backoff with the fingerprint it was recorded under', async (_what, error) => {
    const { store, coordinator, failingWith, calls } = setup();
    const first = await coordinator.ensure(request, failingWith(error));
    expect(first).toMatchObject({ type: 'failed', fault: 'ca', failures: 1 });
    expect(await store.getBackoff(setBackoffKey(request))).toMatchObject({
      failures: 1,
      configFingerprint: 'sha256:one',
    });
    expect((await coordinator.ensure(request, failingWith(error))).type).toBe('deferred');
    expect(calls()).toBe(1);
  });

  it('force overrides a failure backoff; a second CA failure counts two in a row', async () => {
    const { coordinator, failingWith, calls } = setup();
    await coordinator.ensure(request, failingWith(problem('caa', 403)));
    const forced = await coordinator.ensure({ ...request, force: true }, failingWith(problem('caa', 403)));
    expect(forced).toMatchObject({ type: 'failed', fault: 'ca', failures: 2 });
    expect(calls()).toBe(2);
  });

  it('force never overrides the CA’s Retry-After', async () => {
    const { coordinator, failingWith, calls } = setup();
    const limited = await coordinator.ensure(request, failingWith(problem('rateLimited', 429)));
    expect(limited).toMatchObject({ type: 'deferred', limit: 'ca:rateLimited' });
    const forced = await coordinator.ensure({ ...request, force: true }, failingWith(problem('caa', 403)));
    expect(forced).toMatchObject({ type: 'deferred', limit: 'ca:rateLimited' });
    expect(forced.type === 'deferred' && forced.until.toISOString()).toBe('2026-11-22T02:00:00.000Z');
    expect(calls()).toBe(1);
  });

  it('a changed configuration clears a failure backoff, and its count starts again', async () => {
    const { coordinator, failingWith, calls } = setup();
    await coordinator.ensure(request, failingWith(problem('caa', 403)));
    expect((await coordinator.ensure(request, failingWith(problem('caa', 403)))).type).toBe('deferred');
    const changed = { ...request, configFingerprint: 'sha256:two' };
    const retried = await coordinator.ensure(changed, failingWith(problem('caa', 403)));
    expect(retried).toMatchObject({ type: 'failed', failures: 1 });
    expect(calls()).toBe(2);
  });

  it('a changed configuration never clears a rate-limit backoff', async () => {
    const { coordinator, failingWith, calls } = setup();
    await coordinator.ensure(request, failingWith(problem('rateLimited', 429)));
    const changed = { ...request, configFingerprint: 'sha256:two' };
    expect((await coordinator.ensure(changed, failingWith(problem('caa', 403)))).type).toBe('deferred');
    expect(calls()).toBe(1);
  });

  it('a failure backoff without a fingerprint (an older record, or a request without one) still defers', async () => {
    const { store, coordinator, failingWith, calls } = setup();
    await store.putBackoff({
      key: setBackoffKey(request),
      retryAt: '2026-11-22T01:00:00.000Z',
      reason: 'recorded by an older version',
      failures: 1,
      updatedAt: '2026-11-22T00:00:00.000Z',
    });
    expect((await coordinator.ensure(request, failingWith(problem('caa', 403)))).type).toBe('deferred');
    const { configFingerprint: _, ...withoutFingerprint } = request;
    expect((await coordinator.ensure(withoutFingerprint, failingWith(problem('caa', 403)))).type).toBe(
      'deferred',
    );
    expect(calls()).toBe(0);
  });

  it('a local failure leaves an existing CA backoff as it was', async () => {
    const { store, coordinator, failingWith } = setup();
    await coordinator.ensure(request, failingWith(problem('caa', 403)));
    const before = await store.getBackoff(setBackoffKey(request));
    await coordinator.ensure({ ...request, force: true }, failingWith(tlsUntrusted));
    expect(await store.getBackoff(setBackoffKey(request))).toEqual(before);
  });
});
