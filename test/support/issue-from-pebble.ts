import {
  AcmeClient,
  type ChallengeSolver,
  generateAccountKey,
  type OrderState,
  prepareOrder,
  runOrder,
} from '@certkeeper/core';
import type { PebbleHandle } from '@certkeeper/testkit';

export interface IssuedFromPebble {
  readonly certificatePem: string;
  readonly state: OrderState;
  /** From the first step of the order to the certificate (account registration excluded). */
  readonly elapsedMs: number;
}

/**
 * Registers a fresh account at `pebble` and issues `names` through `solvers`, as a one-process application would:
 * the setup every end-to-end provider test shares. `beforeOrder` runs after registration, before the first step
 * (to reset a fake's request counters, for instance).
 */
export async function issueFromPebble(
  pebble: PebbleHandle,
  names: readonly string[],
  solvers: readonly ChallengeSolver[],
  options: { beforeOrder?: () => void } = {},
): Promise<IssuedFromPebble> {
  const accountKey = await generateAccountKey('ES256');
  const client = new AcmeClient({
    directoryUrl: pebble.directoryUrl,
    caBundle: pebble.caBundlePem,
    accountKey,
  });
  try {
    const { url: accountUrl } = await client.accounts.create({ contact: ['mailto:ops@example.test'] });
    const state = await prepareOrder({ directoryUrl: pebble.directoryUrl, accountUrl, identifiers: names });
    options.beforeOrder?.();
    const started = performance.now();
    const result = await runOrder(state, { client, solvers });
    return {
      certificatePem: result.certificate.pem,
      state: result.state,
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    await client.close();
  }
}

/** TXT values a DNS server (pebble-challtestsrv) serves at a name: what Pebble's VA sees. */
export async function servedTxt(dnsPort: number, name: string): Promise<string[]> {
  const { Resolver } = await import('node:dns/promises');
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${dnsPort}`]);
  return resolver.resolveTxt(name).then(
    (records) => records.map((chunks) => chunks.join('')).sort(),
    () => [],
  );
}
