import {
  AcmeClient,
  ORDER_PHASES,
  type OrderState,
  parseCertificate,
  prepareOrder,
  runStep,
} from '@certkeeper/core';
import { StandaloneHttp01Solver } from '@certkeeper/http01';
import type { FaultProxy } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PebbleFixture, proxyFixture, startPebbleFixture } from './pebble-fixture.js';

/**
 * Seed 000: a job queue runs one step per job, in any worker. Here every step boundary is a "crash": the state is
 * serialised to JSON, every object of the process is thrown away (client, nonce pool, http-01 responder), and a
 * fresh process resumes from the JSON. The fault proxy counts what reached the CA.
 */
describe('resuming an order after a crash at every step boundary', () => {
  let fixture: PebbleFixture;
  let proxy: FaultProxy;
  /** The account URL as seen through the proxy (the JWS `kid` must carry the proxy's prefix). */
  let accountUrl: string;
  beforeAll(async () => {
    fixture = await startPebbleFixture();
    ({ proxy, accountUrl } = await proxyFixture(fixture));
  });
  afterAll(async () => {
    await proxy?.close();
    await fixture?.stop();
  });

  /** One "process": its own client and http-01 responder, bound to the port Pebble's VA uses. */
  const newProcess = async () => {
    await fixture.http01.stop();
    const http01 = new StandaloneHttp01Solver({ host: '127.0.0.1', port: fixture.pebble.httpPort });
    const client = new AcmeClient({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      accountKey: fixture.accountKey,
    });
    return { http01, client, deps: { client, solvers: [http01] } };
  };

  // Every phase a successful order passes through, up to (not including) the end.
  const phases = ORDER_PHASES.filter((phase) => phase !== 'done' && phase !== 'failed');

  it.each(phases)('crash before %s: a fresh process finishes with exactly one order', async (crashBefore) => {
    proxy.clearLog();
    let json = JSON.stringify(
      await prepareOrder({
        directoryUrl: proxy.directoryUrl,
        accountUrl,
        identifiers: [`crash-${crashBefore}.example.test`, `www.crash-${crashBefore}.example.test`],
      }),
    );
    let processes = 0;
    let crashed = false;
    let current = await newProcess();
    for (let guard = 0; guard < 60; guard++) {
      const state = JSON.parse(json) as OrderState;
      if (!crashed && state.phase === crashBefore) {
        crashed = true;
        await current.http01.stop();
        await current.client.close();
        current = await newProcess();
        processes++;
      }
      const { state: next, next: action } = await runStep(state, current.deps);
      json = JSON.stringify(next);
      if (action.type === 'done' || action.type === 'failed') break;
      if (action.type === 'wait')
        await new Promise((r) => setTimeout(r, Math.max(0, action.until.getTime() - Date.now())));
    }
    const final = JSON.parse(json) as OrderState;
    await current.http01.stop();
    await current.client.close();
    expect(crashed).toBe(true);
    expect(processes).toBe(1);
    expect(final.phase).toBe('done');
    expect(parseCertificate(final.certificate!.pem).names).toContain(`crash-${crashBefore}.example.test`);
    expect(proxy.count('newOrder', 'POST')).toBe(1);
    expect(proxy.count('finalize', 'POST')).toBe(1);
    expect(proxy.reusedNonces()).toEqual([]);
  });
});
