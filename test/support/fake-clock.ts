import type { Clock } from '@certkeeper/core';

/** A clock that only moves when told to: for rate-limit windows, Retry-After and renewal times in tests. */
export class FakeClock implements Clock {
  private ms: number;
  constructor(start: Date | string = new Date()) {
    this.ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(time: Date | string): void {
    this.ms = new Date(time).getTime();
  }
}
