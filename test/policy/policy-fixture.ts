import { AcmeClient, prepareOrder, runOrder } from '@certkeeper/core';
import { type IssueFunction, RenewalCoordinator, type RenewalCoordinatorOptions } from '@certkeeper/policy';
import { MemoryStore, type Store } from '@certkeeper/store';
import { type FaultProxy, startFaultProxy } from '@certkeeper/testkit';
import { type PebbleFixture, startPebbleFixture } from '../engine/pebble-fixture.js';
import { FakeClock } from '../support/fake-clock.js';

/**
 * Real Pebble behind the fault proxy, a controllable clock shared by the ACME client (so Retry-After is read on it),
 * the coordinator and the ledger, and an issue function that runs a real order through the step engine.
 */
export interface PolicyFixture {
  readonly pebble: PebbleFixture;
  readonly proxy: FaultProxy;
  readonly clock: FakeClock;
  readonly client: AcmeClient;
  readonly accountUrl: string;
  readonly issue: IssueFunction;
  /** `replaces` values of every newOrder the CA received through the proxy. */
  readonly replacesSent: (string | undefined)[];
  coordinator(store?: Store, options?: Partial<RenewalCoordinatorOptions>): RenewalCoordinator;
  request(
    names: string[],
    extra?: { force?: boolean },
  ): {
    directoryUrl: string;
    accountUrl: string;
    identifiers: { type: 'dns'; value: string }[];
    force?: boolean;
  };
  stop(): Promise<void>;
}

export async function startPolicyFixture(
  options: { setupProxy?: (proxy: FaultProxy) => void } = {},
): Promise<PolicyFixture> {
  const pebble = await startPebbleFixture();
  const proxy = await startFaultProxy({
    target: pebble.pebble.directoryUrl,
    caBundlePem: pebble.pebble.caBundlePem,
  });
  // Rules that change the directory must be in place before any client reads (and caches) it.
  options.setupProxy?.(proxy);
  const clock = new FakeClock();
  const client = new AcmeClient({
    directoryUrl: proxy.directoryUrl,
    caBundle: proxy.caBundlePem,
    accountKey: pebble.accountKey,
    clock,
  });
  const accountUrl = (await client.accounts.find())!.url;
  const replacesSent: (string | undefined)[] = [];
  const issue: IssueFunction = async ({ request, replaces, onOrderCreated }) => {
    replacesSent.push(replaces);
    const state = await prepareOrder({
      directoryUrl: proxy.directoryUrl,
      accountUrl,
      identifiers: request.identifiers,
      ...(replaces ? { replaces } : {}),
    });
    let created = false;
    const { certificate, state: final } = await runOrder(
      state,
      { client, solvers: [pebble.http01], clock },
      {
        maxStepRetries: 0,
        onState: async (next) => {
          if (!created && next.orderUrl) {
            created = true;
            await onOrderCreated();
          }
        },
      },
    );
    return { certificatePem: certificate.pem, keyPem: final.certificateKeyPem!, keyType: 'ec256' };
  };
  return {
    pebble,
    proxy,
    clock,
    client,
    accountUrl,
    issue,
    replacesSent,
    coordinator: (store = new MemoryStore(), options = {}) =>
      new RenewalCoordinator({ store, clock, leasePollMs: 20, ...options }),
    request: (names, extra = {}) => ({
      directoryUrl: proxy.directoryUrl,
      accountUrl,
      identifiers: names.map((value) => ({ type: 'dns' as const, value })),
      ...extra,
    }),
    async stop() {
      await client.close();
      await proxy.close();
      await pebble.stop();
    },
  };
}
