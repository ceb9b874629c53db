/** The time source. Policy and engine code take a Clock so tests can control time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const ClockToken = Symbol.for('certkeeper.Clock');
