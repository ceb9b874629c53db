import { silentLogger } from '@certkeeper/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RenewalScheduler } from './renewal-scheduler.js';

describe('RenewalScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const start = (check: (name: string) => Promise<Date>, maxIntervalMs = 3_600_000) => {
    vi.useFakeTimers({ now: 0 });
    const clock = { now: () => new Date(Date.now()) };
    return new RenewalScheduler({ check, maxIntervalMs, retryMs: 30_000, clock, logger: silentLogger });
  };

  it('checks each name at its time, one timer for the earliest, and reschedules from the answer', async () => {
    const checked: [string, number][] = [];
    const scheduler = start(async (name) => {
      checked.push([name, Date.now()]);
      return new Date(Date.now() + 10_000);
    });
    scheduler.schedule('a.example.test', new Date(5_000));
    scheduler.schedule('b.example.test', new Date(8_000));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(checked).toEqual([]);
    await vi.advanceTimersByTimeAsync(3_001);
    expect(checked).toEqual([
      ['a.example.test', 5_000],
      ['b.example.test', 8_000],
    ]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(checked.map(([, at]) => at)).toEqual([5_000, 8_000, 15_000, 18_000]);
    await scheduler.stop();
  });

  it('caps a far renewal time at maxIntervalMs, retries a throwing check later, never spins on a past time', async () => {
    let calls = 0;
    const scheduler = start(async () => {
      calls++;
      if (calls === 1) throw new Error('store unreachable');
      return new Date(0); // already past: must not be checked again at once
    }, 60_000);
    scheduler.schedule('a.example.test', new Date(10 ** 12));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(3);
    await scheduler.stop();
  });

  it('checkAll checks every name now; a forgotten name is not checked; stop ends the timer', async () => {
    const checked: string[] = [];
    const scheduler = start(async (name) => {
      checked.push(name);
      return new Date(Date.now() + 10_000);
    });
    scheduler.schedule('a.example.test', new Date(50_000));
    scheduler.schedule('b.example.test', new Date(50_000));
    scheduler.forget('b.example.test');
    await scheduler.checkAll();
    expect(checked).toEqual(['a.example.test']);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(100_000);
    expect(checked).toEqual(['a.example.test']);
  });
});
