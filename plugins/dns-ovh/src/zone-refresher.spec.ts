import { describe, expect, it } from 'vitest';
import { ZoneRefresher } from './zone-refresher.js';

/** A refresh the test finishes by hand, recording when each one started. */
function manualRefreshes() {
  const started: { finish: () => void; fail: (error: Error) => void }[] = [];
  const refresh = () =>
    new Promise<void>((resolve, reject) => {
      started.push({ finish: resolve, fail: reject });
    });
  return { started, refresh };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ZoneRefresher', () => {
  it('lets requests made before a refresh starts share it', async () => {
    const refresher = new ZoneRefresher();
    const { started, refresh } = manualRefreshes();
    const waiting = [1, 2, 3].map(() => refresher.request('example.test', refresh));
    await tick();
    expect(started).toHaveLength(1);
    started[0]!.finish();
    await Promise.all(waiting);
  });

  it('queues one more refresh behind a running one, shared by every request made meanwhile', async () => {
    const refresher = new ZoneRefresher();
    const { started, refresh } = manualRefreshes();
    let firstDone = false;
    const first = refresher.request('example.test', refresh).then(() => {
      firstDone = true;
    });
    await tick();
    // These changes were made while the first refresh ran: it may not include them, so they wait for the next.
    let laterDone = false;
    const later = Promise.all([
      refresher.request('example.test', refresh),
      refresher.request('example.test', refresh),
    ]).then(() => {
      laterDone = true;
    });
    await tick();
    expect(started).toHaveLength(1);
    started[0]!.finish();
    await first;
    await tick();
    expect([firstDone, laterDone, started.length]).toEqual([true, false, 2]);
    started[1]!.finish();
    await later;
    expect(laterDone).toBe(true);
  });

  it('keeps zones apart, and starts afresh after a failed refresh', async () => {
    const refresher = new ZoneRefresher();
    const { started, refresh } = manualRefreshes();
    const a = refresher.request('a.test', refresh);
    const b = refresher.request('b.test', refresh);
    await tick();
    expect(started).toHaveLength(2);
    started[0]!.fail(new Error('HTTP 503'));
    await expect(a).rejects.toThrow('HTTP 503');
    started[1]!.finish();
    await b;
    const again = refresher.request('a.test', refresh);
    await tick();
    expect(started).toHaveLength(3);
    started[2]!.finish();
    await again;
  });
});
