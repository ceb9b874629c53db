import { describe, expect, it } from 'vitest';
import { SingleFlight } from './single-flight.js';

describe('SingleFlight', () => {
  it('runs concurrent calls for one key once, and again after it settled', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 10));
      return runs;
    };
    const results = await Promise.all(Array.from({ length: 200 }, () => flight.run('k', work)));
    expect(runs).toBe(1);
    expect(results.filter((r) => !r.joined)).toHaveLength(1);
    expect(new Set(results.map((r) => r.result))).toEqual(new Set([1]));
    expect(flight.size).toBe(0);
    await flight.run('k', work);
    expect(runs).toBe(2);
  });
  it('shares a failure with every joiner and forgets it', async () => {
    const flight = new SingleFlight<number>();
    const failing = () => Promise.reject(new Error('boom'));
    await expect(Promise.all([flight.run('k', failing), flight.run('k', failing)])).rejects.toThrow('boom');
    expect(flight.size).toBe(0);
  });
  it('a joiner stops waiting as soon as its signal fires; the work goes on for the starter', async () => {
    const flight = new SingleFlight<string>();
    let finish!: (value: string) => void;
    const started = flight.run('k', () => new Promise<string>((resolve) => (finish = resolve)));
    const controller = new AbortController();
    const joined = flight.run('k', () => Promise.resolve('never'), controller.signal);
    controller.abort();
    await expect(joined).rejects.toMatchObject({ code: 'CERTKEEPER_ERR_ABORTED' });
    finish('done');
    await expect(started).resolves.toEqual({ result: 'done', joined: false });
  });
});
