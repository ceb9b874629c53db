import type { StatusReport } from '@certkeeper/manager';
import { describe, expect, it } from 'vitest';
import { SnapshotCache } from './snapshot-cache.js';

const report = (generatedAt: string): StatusReport => ({
  directoryUrl: 'https://ca.test/dir',
  generatedAt,
  certificates: [],
});

describe('SnapshotCache', () => {
  it('builds once for concurrent callers, again only after an invalidation or its maximum age', async () => {
    let now = 1_000_000;
    let builds = 0;
    const cache = new SnapshotCache({
      report: async () => report(new Date(now + builds++).toISOString()),
      now: () => now,
      maxAgeMs: 30_000,
      minIntervalMs: 0,
    });
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(a).toBe(b);
    expect(builds).toBe(1);
    expect(await cache.get()).toBe(a);
    cache.invalidate();
    expect(await cache.get()).not.toBe(a);
    expect(builds).toBe(2);
    now += 30_000;
    await cache.get();
    expect(builds).toBe(3);
  });

  it('answers a caller after a change with a build that began after it, not one already under way', async () => {
    let stored = 'missing';
    let release: () => void = () => undefined;
    let builds = 0;
    const cache = new SnapshotCache({
      report: async () => {
        builds++;
        const seen = stored; // the store as this build reads it, before it is held up
        if (builds === 1) await new Promise<void>((resolve) => (release = resolve));
        return report(seen);
      },
      minIntervalMs: 0,
    });
    const early = cache.get(); // the page's first load: this build reads the store before the certificate
    await new Promise((resolve) => setImmediate(resolve));
    stored = 'valid';
    cache.invalidate(); // the certificate was stored; the page is told and asks again
    const late = cache.get();
    release();
    expect((await early).generatedAt).toBe('missing');
    expect((await late).generatedAt).toBe('valid');
    expect(builds).toBe(2);
  });

  it('keeps the last snapshot when a rebuild fails, and throws when there is none', async () => {
    let fail = false;
    const cache = new SnapshotCache({
      report: async () => {
        if (fail) throw new Error('store unreadable');
        return report('2026-12-06T00:00:00.000Z');
      },
      minIntervalMs: 0,
    });
    const first = await cache.get();
    fail = true;
    cache.invalidate();
    expect(await cache.get()).toBe(first);
    const empty = new SnapshotCache({ report: async () => Promise.reject(new Error('store unreadable')) });
    await expect(empty.get()).rejects.toThrow('store unreadable');
  });

  it('waits four times as long as the last build took before the next one', async () => {
    let now = 0;
    const cache = new SnapshotCache({
      report: async () => {
        now += 50; // this build "takes" 50 ms
        return report(new Date(now).toISOString());
      },
      now: () => now,
      minIntervalMs: 10,
    });
    await cache.get();
    cache.invalidate();
    const started = Date.now();
    await cache.get();
    // Built at 0 after 50 ms: the next build waits until 200 ms after the first began (150 ms from "now").
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
