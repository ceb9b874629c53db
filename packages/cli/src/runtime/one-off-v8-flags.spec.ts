import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  OPTIMIZE_AFTER_CPU_MS,
  oneOffFlags,
  optimizeWhenLong,
  ordersCertificates,
  youngGenerationChosen,
} from './one-off-v8-flags.js';

describe('youngGenerationChosen', () => {
  it('is false for a plain start', () => {
    expect(youngGenerationChosen([], {})).toBe(false);
    expect(
      youngGenerationChosen(['--enable-source-maps'], { NODE_OPTIONS: '--max-old-space-size=512' }),
    ).toBe(false);
  });

  it('is true when Node was given a semi-space size, on its command line or in NODE_OPTIONS', () => {
    expect(youngGenerationChosen(['--max-semi-space-size=4'], {})).toBe(true);
    expect(youngGenerationChosen(['--min_semi_space_size=2'], {})).toBe(true);
    // The shipped systemd unit.
    expect(youngGenerationChosen([], { NODE_OPTIONS: '--max-semi-space-size=4' })).toBe(true);
  });
});

describe('ordersCertificates', () => {
  it('is true for issue and renew, wherever the global options put them', () => {
    expect(ordersCertificates(['node', 'certkeeper', 'issue', 'example.com'])).toBe(true);
    expect(ordersCertificates(['node', 'certkeeper', '--config', 'c.yaml', 'renew'])).toBe(true);
  });

  it('is false for help, other commands and no command', () => {
    expect(ordersCertificates(['node', 'certkeeper', '--help'])).toBe(false);
    expect(ordersCertificates(['node', 'certkeeper', 'status'])).toBe(false);
    expect(ordersCertificates(['node', 'certkeeper'])).toBe(false);
  });
});

describe('oneOffFlags', () => {
  it('keeps the young generation small and the optimising compilers off', () => {
    expect(oneOffFlags([], {})).toEqual(['--semi-space-growth-factor=1', '--no-maglev', '--no-turbofan']);
  });

  it('leaves each setting the process was given to it', () => {
    expect(oneOffFlags([], { NODE_OPTIONS: '--max-semi-space-size=4' })).toEqual([
      '--no-maglev',
      '--no-turbofan',
    ]);
    expect(oneOffFlags(['--turbofan'], {})).toEqual(['--semi-space-growth-factor=1']);
    expect(oneOffFlags(['--jitless', '--max-semi-space-size=1'], {})).toEqual([]);
  });
});

describe('optimizeWhenLong', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('switches the optimising compilers back on once, when the CPU time passes the mark', () => {
    const flags: string[] = [];
    let cpuMs = 0;
    optimizeWhenLong({ setFlagsFromString: (flag) => flags.push(flag) }, () => ({
      user: cpuMs * 1000,
      system: 0,
    }));
    cpuMs = OPTIMIZE_AFTER_CPU_MS - 1;
    vi.advanceTimersByTime(10_000);
    expect(flags).toEqual([]);
    cpuMs = OPTIMIZE_AFTER_CPU_MS;
    vi.advanceTimersByTime(1_000);
    expect(flags).toEqual(['--maglev', '--turbofan']);
    cpuMs = 10 * OPTIMIZE_AFTER_CPU_MS;
    vi.advanceTimersByTime(10_000);
    expect(flags).toHaveLength(2);
  });
});
