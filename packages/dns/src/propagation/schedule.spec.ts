import { describe, expect, it } from 'vitest';
import { nextCheckAt } from './schedule.js';

const start = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);

describe('nextCheckAt', () => {
  it('grows the gap by the factor up to the cap', () => {
    const schedule = { initialIntervalMs: 1000, growthFactor: 2, maxIntervalMs: 4000 };
    const times: number[] = [];
    let now = start;
    for (let i = 0; i < 6; i++) {
      now = nextCheckAt(start, now, schedule);
      times.push(now.getTime() - start.getTime());
    }
    expect(times).toEqual([1000, 3000, 7000, 11000, 15000, 19000]);
  });

  it('gives every worker the same answer for the same instant, however late it picks the job up', () => {
    const schedule = { initialIntervalMs: 1000, growthFactor: 2, maxIntervalMs: 4000 };
    expect(nextCheckAt(start, at(7500), schedule).getTime()).toBe(at(11000).getTime());
    expect(nextCheckAt(start, at(3_600_000 + 1), schedule).getTime()).toBe(at(3_603_000).getTime());
  });

  it('by default looks again soon after the first check, then backs off by 1.5', () => {
    const times: number[] = [];
    let now = start;
    for (let i = 0; i < 4; i++) {
      now = nextCheckAt(start, now);
      times.push(now.getTime() - start.getTime());
    }
    expect(times).toEqual([250, 625, 1188, 2033]);
  });

  it('always moves forward', () => {
    expect(nextCheckAt(start, start).getTime()).toBeGreaterThan(start.getTime());
  });
});
