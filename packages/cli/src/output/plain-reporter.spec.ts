import { PassThrough } from 'node:stream';
import type { OrderProgress } from '@certkeeper/manager';
import { describe, expect, it } from 'vitest';
import { PlainReporter } from './plain-reporter.js';

const holder = 'process 4242 on web-1 (certkeeper renew)';
const lease = (until: string, extra: Partial<OrderProgress> = {}): OrderProgress => ({
  key: 'k',
  identifiers: ['a.test'],
  phase: 'lease',
  next: 'wait',
  holder,
  until: new Date(until),
  ...extra,
});

function reporter() {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: '', err: '' };
  out.on('data', (chunk: Buffer) => {
    text.out += chunk.toString();
  });
  err.on('data', (chunk: Buffer) => {
    text.err += chunk.toString();
  });
  return { plain: new PlainReporter(out, err), text };
}

describe('PlainReporter and leases', () => {
  it('one line per holder waited for — not one per renewal of its lease — and one for a takeover', () => {
    const { plain, text } = reporter();
    plain.begin(['a.test']);
    plain.progress(lease('2026-12-06T13:45:12.345Z'));
    plain.progress(lease('2026-12-06T13:45:22.345Z'));
    plain.progress(lease('2026-12-06T13:45:22.345Z', { next: 'continue', takenOver: 'dead' }));
    plain.progress({ key: 'k', identifiers: ['a.test'], phase: 'answer-challenges', next: 'continue' });
    expect(text.out.split('\n')).toEqual([
      `waiting for ${holder}, which holds a.test until 13:45:12 UTC`,
      `took over a.test from ${holder}, which no longer runs`,
      'a.test: validation',
      '',
    ]);
  });

  it('the interruption notice goes to stderr, as one line', () => {
    const { plain, text } = reporter();
    plain.interrupted({
      signal: 'SIGTERM',
      names: ['a.test'],
      kept: 'order',
      notStarted: [],
      resume: '`certkeeper renew` resumes it',
      exitCode: 143,
      message: 'interrupted: the order for a.test is kept; `certkeeper renew` resumes it',
    });
    expect(text).toEqual({
      out: '',
      err: 'interrupted: the order for a.test is kept; `certkeeper renew` resumes it\n',
    });
  });
});

describe('PlainReporter with several certificates in flight', () => {
  const step = (identifiers: string[], phase: string): OrderProgress => ({
    key: identifiers.join(','),
    identifiers,
    phase,
    next: 'continue',
  });

  it('names each line by its own certificate, and follows each one’s steps apart', () => {
    const { plain, text } = reporter();
    plain.begin(['a.test', 'www.a.test']);
    plain.begin(['b.test']);
    // Progress names the order's identifiers, in the order's own order.
    plain.progress(step(['www.a.test', 'a.test'], 'create-order'));
    plain.progress(step(['b.test'], 'create-order'));
    plain.progress(step(['b.test'], 'answer-challenges'));
    plain.progress(step(['www.a.test', 'a.test'], 'fetch-authorizations'));
    plain.progress(step(['www.a.test', 'a.test'], 'answer-challenges'));
    plain.progress(step(['b.test'], 'finalize'));
    expect(text.out.split('\n')).toEqual([
      'a.test, www.a.test: order',
      'b.test: order',
      'b.test: validation',
      'a.test, www.a.test: validation',
      'b.test: finalize',
      '',
    ]);
  });
});
