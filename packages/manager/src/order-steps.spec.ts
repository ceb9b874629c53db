import { describe, expect, it } from 'vitest';
import type { OrderProgress } from './events.js';
import { CertificateProgress, splitDetail } from './order-steps.js';

const event = (
  phase: string,
  next: OrderProgress['next'] = 'continue',
  detail?: string,
  challenges: readonly string[] = ['dns-01'],
): OrderProgress => ({
  key: 'k',
  identifiers: ['a.test'],
  phase,
  next,
  challenges,
  ...(detail ? { detail } : {}),
});

const states = (progress: CertificateProgress) => progress.states().map((s) => `${s.step}:${s.state}`);

describe('CertificateProgress', () => {
  it('marks earlier steps done and the entered phase running, with the wait reason split per server', () => {
    const progress = new CertificateProgress(['a.test']);
    expect(progress.apply(event('fetch-authorizations'))).toBe(true);
    expect(progress.apply(event('publish'))).toBe(true);
    const wait =
      'dns-01: Waiting for 2 of 3 authoritative answers: ns1.a.test 192.0.2.1:53 answered NXDOMAIN for _acme-challenge.a.test, saw 0 of 1 expected values; ns2.a.test 192.0.2.2:53 gave no answer (timeout) for _acme-challenge.a.test, saw 0 of 1 expected values.';
    expect(progress.apply(event('await-readiness', 'wait', wait))).toBe(true);
    expect(states(progress)).toEqual([
      'order:done',
      'responses published:done',
      'propagation:running',
      'validation:pending',
      'finalize:pending',
      'stored:pending',
    ]);
    expect(progress.detail).toEqual({
      headline: 'Waiting for 2 of 3 authoritative answers',
      items: [
        'ns1.a.test 192.0.2.1:53 answered NXDOMAIN for _acme-challenge.a.test, saw 0 of 1 expected values',
        'ns2.a.test 192.0.2.2:53 gave no answer (timeout) for _acme-challenge.a.test, saw 0 of 1 expected values',
      ],
    });
    expect(progress.apply(event('await-readiness', 'wait', wait))).toBe(false);
  });

  it('does not move on through cleanup after a failure, and marks the failed step', () => {
    const progress = new CertificateProgress(['a.test']);
    progress.apply(event('await-validation', 'wait', 'the CA is validating'));
    progress.apply(event('cleanup'));
    progress.apply(event('failed', 'failed', 'authorization for a.test is invalid'));
    expect(states(progress).slice(2, 5)).toEqual([
      'propagation:done',
      'validation:failed',
      'finalize:pending',
    ]);
    expect(progress.detail?.headline).toBe('authorization for a.test is invalid');
  });

  it('is all done once stored', () => {
    const progress = new CertificateProgress(['a.test']);
    progress.apply(event('done', 'done'));
    progress.stored();
    expect(progress.states().every((s) => s.state === 'done')).toBe(true);
  });
});

describe('splitDetail', () => {
  it('keeps other reasons whole', () => {
    expect(splitDetail('the CA is issuing')).toEqual({ headline: 'the CA is issuing', items: [] });
  });

  it('has no propagation step for an order without a DNS challenge; its readiness wait shows on the step before', () => {
    const progress = new CertificateProgress(['a.test']);
    progress.apply(event('create-order', 'continue', undefined, []));
    expect(states(progress)).not.toContain('propagation:pending');
    expect(states(progress)).toHaveLength(5);
    progress.apply(event('await-readiness', 'wait', 'http-01: the responder is starting', ['http-01']));
    expect(states(progress).slice(0, 3)).toEqual([
      'order:done',
      'responses published:running',
      'validation:pending',
    ]);
    expect(progress.currentStep).toBe('responses published');
    progress.apply(event('await-validation', 'wait', 'the CA is validating', ['http-01']));
    expect(progress.currentStep).toBe('validation');
  });

  it('shows a retried step with its attempt and the error it retries after', () => {
    const progress = new CertificateProgress(['a.test']);
    progress.apply(event('await-validation', 'wait', 'the CA is validating'));
    expect(
      progress.apply({
        ...event('await-validation', 'wait', 'the CA answered 503: service busy'),
        retry: { attempt: 2, attempts: 4 },
      }),
    ).toBe(true);
    expect(progress.detail).toEqual({
      headline: 'the CA answered 503: service busy; trying again, attempt 2 of 4',
      items: [],
    });
    expect(progress.currentStep).toBe('validation');
  });
});
