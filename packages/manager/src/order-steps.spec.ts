import { describe, expect, it } from 'vitest';
import type { OrderProgress } from './events.js';
import { CertificateProgress, splitDetail } from './order-steps.js';

const event = (phase: string, next: OrderProgress['next'] = 'continue', detail?: string): OrderProgress => ({
  key: 'k',
  identifiers: ['a.test'],
  phase,
  next,
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
});
