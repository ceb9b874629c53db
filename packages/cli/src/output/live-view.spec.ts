import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { OrderProgress } from '@certkeeper/manager';
import type { EnsureOutcome } from '@certkeeper/policy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VirtualTerminal } from '../../../../test/support/virtual-terminal.js';
import { LiveView } from './live-view.js';

const A = ['a.test', '*.a.test'];
const B = ['b.test'];
const C = ['c.test'];

const step = (
  identifiers: readonly string[],
  phase: string,
  challenges: readonly string[],
  extra: Partial<OrderProgress> = {},
): OrderProgress => ({ key: identifiers[0]!, identifiers, phase, next: 'continue', challenges, ...extra });

const issued = (names: readonly string[]): EnsureOutcome =>
  ({
    type: 'issued',
    certificate: { notAfter: '2027-03-06T10:00:00.000Z' },
    due: 'missing',
    reason: `issued ${names[0]}`,
    joined: false,
  }) as unknown as EnsureOutcome;

const failed = (): EnsureOutcome => ({
  type: 'failed',
  error: new CertkeeperError(ErrorCodes.CONFIG_INVALID, 'the exec plugin exited 1', {
    hint: 'fix the `command` of the dns-01 solver',
  }),
  fault: 'local',
  retryAt: new Date('2026-12-06T10:05:00Z'),
  failures: 0,
  reason: 'failed: the exec plugin exited 1',
  joined: false,
});

let now: number;
let terminal: VirtualTerminal;
let view: LiveView;

beforeEach(() => {
  vi.useFakeTimers();
  now = Date.parse('2026-12-06T10:00:00Z');
  terminal = new VirtualTerminal(80, 24);
  view = new LiveView(terminal.stream(), { now: () => now, home: '/home/ops' });
});

afterEach(() => {
  view.close();
  vi.useRealTimers();
});

/** Move the clock and the view's once-a-second timer on together. */
function elapse(ms: number) {
  now += ms;
  vi.advanceTimersByTime(ms);
}

describe('LiveView with certificates in flight together', () => {
  it('keeps a block per certificate, moves each finished one above the region once, and never clears the screen', () => {
    view.begin(A);
    view.begin(B);
    view.progress(step(A, 'create-order', []));
    view.progress(step(B, 'create-order', []));
    view.progress(step(B, 'fetch-authorizations', ['http-01']));
    view.progress(
      step(A, 'await-readiness', ['http-01', 'dns-01'], {
        next: 'wait',
        detail:
          'dns-01: Waiting for 1 of 1 authoritative nameservers to serve the record: the configured nameserver 127.0.0.1:8053 has 0 of 1 expected value at _acme-challenge.a.test (answered NOERROR).',
      }),
    );
    view.progress(step(B, 'await-validation', ['http-01'], { next: 'wait', detail: 'the CA is validating' }));
    elapse(12_000);

    // The view started at the top row: both blocks, in the order they began, each step with its state.
    const [spinnerA, ...restA] = terminal.screen[0]!;
    expect(terminal.screen).toEqual([
      `${spinnerA}${restA.join('')}`,
      '    ✓ order',
      '    ✓ responses published',
      '    › propagation — waiting for 1 of 1 authoritative nameservers to serve the',
      '        record (12 s)',
      '        the configured nameserver 127.0.0.1:8053 has 0 of 1 expected value at',
      '          _acme-challenge.a.test (answered NOERROR)',
      '    · validation',
      '    · finalize',
      '    · stored',
      expect.stringMatching(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] b\.test$/),
      '    ✓ order',
      '    ✓ responses published',
      '    › validation — the CA is validating (12 s)',
      '    · finalize',
      '    · stored',
    ]);
    expect(terminal.screen[0]).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] a\.test, \*\.a\.test$/);

    view.outcome(B, issued(B));
    // Late: cleanup after the outcome opens no block of its own.
    view.progress(step(B, 'cleanup', ['http-01']));
    view.deployed(B, {
      files: {
        fullchain:
          '/home/ops/certkeeper/data/certificates/acme-v02.api.letsencrypt.org_directory_12345/b.test/fullchain.pem',
        privkey: '/home/ops/x/privkey.pem',
      },
      wroteOutput: true,
    });
    view.begin(C);
    view.progress(step(C, 'create-order', []));
    view.progress(
      step(A, 'await-validation', ['http-01', 'dns-01'], { next: 'wait', detail: 'the CA is validating' }),
    );
    elapse(3_000);
    view.outcome(A, failed());
    view.progress(step(C, 'finalize', ['tls-alpn-01']));
    view.outcome(C, issued(C));
    view.summary({ issued: 2, failed: 1 }, 2);
    view.close();

    expect(terminal.clears).toBe(0);
    expect(terminal.cursorVisible).toBe(true);
    const history = terminal.history;
    expect(history).toEqual([
      '✓ b.test: issued, valid until 2027-03-06 10:00Z',
      '    ✓ order',
      '    ✓ responses published',
      '    ✓ validation',
      '    ✓ finalize',
      '    ✓ stored',
      expect.stringMatching(/^ {2}b\.test: ~\/certkeeper\/data\/cert.*….*\/b\.test\/fullchain\.pem$/),
      '✗ a.test, *.a.test: failed',
      '    ✓ order',
      '    ✓ responses published',
      '    ✓ propagation',
      '    ✗ validation',
      '    · finalize',
      '    · stored',
      '  failed: the exec plugin exited 1 (CERTKEEPER_ERR_CONFIG_INVALID)',
      '  Next: fix the `command` of the dns-01 solver',
      '✓ c.test: issued, valid until 2027-03-06 10:00Z',
      '    ✓ order',
      '    ✓ responses published',
      '    ✓ validation',
      '    ✓ finalize',
      '    ✓ stored',
      '3 certificates: 2 issued, 1 failed (exit 2)',
    ]);
    expect(history[6]!.length).toBeLessThanOrEqual(80);
  });

  it('counts the elapsed time per step once a second, and stops its timer when nothing is in flight', () => {
    view.begin(B);
    view.progress(step(B, 'answer-challenges', ['http-01']));
    view.progress(step(B, 'await-validation', ['http-01'], { next: 'wait', detail: 'the CA is validating' }));
    elapse(59_000);
    expect(terminal.screen).toContain('    › validation — the CA is validating (59 s)');
    const spinner = terminal.screen[0]![0];
    elapse(1_000);
    expect(terminal.screen).toContain('    › validation — the CA is validating (1 min 00 s)');
    expect(terminal.screen[0]![0]).not.toBe(spinner);
    // A new step counts from zero.
    view.progress(step(B, 'finalize', ['http-01']));
    expect(terminal.screen).toContain('    › finalize (0 s)');
    expect(vi.getTimerCount()).toBe(1);
    view.outcome(B, issued(B));
    expect(vi.getTimerCount()).toBe(0);
    // Closed with a certificate still in flight (an error ended the run): the timer stops too.
    view.begin(C);
    expect(vi.getTimerCount()).toBe(1);
    view.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shows a retried request with its attempt and the error, on the step it retries', () => {
    view.begin(B);
    view.progress(step(B, 'finalize', ['http-01']));
    view.progress(
      step(B, 'finalize', ['http-01'], {
        next: 'wait',
        detail: 'the CA answered 503: service busy',
        retry: { attempt: 2, attempts: 4 },
      }),
    );
    elapse(2_000);
    expect(terminal.screen.slice(1, 5)).toEqual([
      '    ✓ order',
      '    ✓ responses published',
      '    ✓ validation',
      '    › finalize — the CA answered 503: service busy; trying again, attempt 2 of 4',
    ]);
    expect(terminal.screen[5]).toBe('        (2 s)');
  });

  it('on Ctrl-C leaves every block in flight as it stopped, then the notice', () => {
    view.begin(A);
    view.begin(B);
    view.progress(step(A, 'await-validation', ['dns-01'], { next: 'wait', detail: 'the CA is validating' }));
    view.progress(step(B, 'publish', ['http-01']));
    terminal.write('^C');
    view.interrupted({
      signal: 'SIGINT',
      names: A,
      kept: 'order',
      notStarted: [],
      resume: '`certkeeper renew` resumes it',
      message: 'interrupted: the order for a.test, *.a.test is kept; `certkeeper renew` resumes it',
      exitCode: 130,
    });
    view.close();
    expect(terminal.history).toEqual([
      '‖ a.test, *.a.test: interrupted',
      '    ✓ order',
      '    ✓ responses published',
      '    ✓ propagation',
      '    ‖ validation',
      '    · finalize',
      '    · stored',
      '‖ b.test: interrupted',
      '    ✓ order',
      '    ‖ responses published',
      '    · validation',
      '    · finalize',
      '    · stored',
      'interrupted: the order for a.test, *.a.test is kept; `certkeeper renew` resumes',
      '  it',
    ]);
    expect(terminal.cursorVisible).toBe(true);
  });

  it('shows one line per certificate when the blocks would not fit the terminal', () => {
    terminal = new VirtualTerminal(80, 12);
    view = new LiveView(terminal.stream(), { now: () => now });
    for (const names of [A, B, C]) {
      view.begin(names);
      view.progress(
        step(names, 'await-validation', ['http-01'], { next: 'wait', detail: 'the CA is validating' }),
      );
    }
    expect(terminal.screen.map((line) => line.slice(2))).toEqual([
      'a.test, *.a.test: validation — the CA is validating (0 s)',
      'b.test: validation — the CA is validating (0 s)',
      'c.test: validation — the CA is validating (0 s)',
    ]);
    view.outcome(B, issued(B));
    view.close();
    expect(terminal.clears).toBe(0);
    expect(terminal.history.filter((line) => line.includes('b.test'))).toEqual([
      '✓ b.test: issued, valid until 2027-03-06 10:00Z',
    ]);
  });

  it("finds a certificate's block by its identifiers as the order has them: punycode, lower case, any order", () => {
    view.begin(['Bücher.test', 'WWW.bücher.test']);
    view.progress(step(['www.xn--bcher-kva.test', 'xn--bcher-kva.test'], 'await-validation', ['http-01']));
    expect(terminal.screen).toHaveLength(6);
    expect(terminal.screen[0]).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Bücher\.test, WWW\.bücher\.test$/);
    view.outcome(['Bücher.test', 'WWW.bücher.test'], issued(['Bücher.test']));
    view.close();
    expect(terminal.history).toEqual([
      '✓ Bücher.test, WWW.bücher.test: issued, valid until 2027-03-06 10:00Z',
      '    ✓ order',
      '    ✓ responses published',
      '    ✓ validation',
      '    ✓ finalize',
      '    ✓ stored',
    ]);
  });

  it('lays permanent lines out to the width, keeping their indentation, while a block stays live below them', () => {
    view.begin(B);
    view.info('The terms of service:\n  https://ca.test/terms');
    view.deployFailed(
      B,
      new CertkeeperError(ErrorCodes.CONFIG_INVALID, 'the deploy hook /usr/local/bin/reload-web exited 1', {
        hint: 'run the hook by hand to see why; `certkeeper renew` deploys again',
      }),
    );
    expect(terminal.screen).toEqual([
      'The terms of service:',
      '  https://ca.test/terms',
      '✗ b.test: deploy failed: the deploy hook /usr/local/bin/reload-web exited 1',
      '  Next: run the hook by hand to see why; `certkeeper renew` deploys again',
      expect.stringMatching(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] b\.test: checking \(0 s\)$/),
    ]);
  });

  it("wraps a long lease wait in the block's first lines, its end time and elapsed time kept", () => {
    view.begin(B);
    view.progress({
      key: 'b',
      identifiers: B,
      phase: 'lease',
      next: 'wait',
      holder: 'process 4242 on web-1.example.test (certkeeper renew)',
      until: new Date('2026-12-06T10:00:30Z'),
    });
    elapse(5_000);
    expect(terminal.screen).toEqual([
      expect.stringMatching(
        /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] b\.test: waiting for process 4242 on web-1\.example\.test \(certkeeper renew\),$/,
      ),
      '    which holds b.test until 10:00:30 UTC (5 s)',
    ]);
  });
});
