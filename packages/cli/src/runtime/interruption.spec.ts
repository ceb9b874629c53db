import { afterEach, describe, expect, it, vi } from 'vitest';
import { Interruption, signalExitCode } from './interruption.js';

describe('Interruption', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the first signal aborts the work and is remembered; the default handlers come back on dispose', () => {
    const before = process.listenerCount('SIGINT');
    const stops: string[] = [];
    const interruption = new Interruption({ onStop: (s) => stops.push(s), onExitNow: () => {} });
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    expect(interruption.signal.aborted).toBe(false);
    process.emit('SIGTERM', 'SIGTERM');
    expect(interruption.signal.aborted).toBe(true);
    expect(interruption.received).toBe('SIGTERM');
    expect(stops).toEqual(['SIGTERM']);
    interruption.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('a second signal runs onExitNow, then exits at once with 128 + its number', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const order: string[] = [];
    const interruption = new Interruption({ onExitNow: (s) => order.push(`now ${s}`) });
    try {
      process.emit('SIGINT', 'SIGINT');
      expect(exit).not.toHaveBeenCalled();
      process.emit('SIGINT', 'SIGINT');
      expect(order).toEqual(['now SIGINT']);
      expect(exit).toHaveBeenCalledWith(130);
    } finally {
      interruption.dispose();
    }
  });

  it('exit codes: 130 for SIGINT, 143 for SIGTERM', () => {
    expect(signalExitCode('SIGINT')).toBe(130);
    expect(signalExitCode('SIGTERM')).toBe(143);
  });
});
