import {
  type AccountKey,
  AcmeClient,
  type ChallengeSolver,
  type EngineDeps,
  generateAccountKey,
} from '@certkeeper/core';
import { StandaloneHttp01Solver } from '@certkeeper/http01';
import {
  type FaultProxy,
  type PebbleHandle,
  type StartPebbleOptions,
  startFaultProxy,
  startPebble,
} from '@certkeeper/testkit';

/** A Pebble with an http-01 responder on the port its VA connects to, and a registered account. */
export interface PebbleFixture {
  readonly pebble: PebbleHandle;
  readonly http01: StandaloneHttp01Solver;
  readonly accountKey: AccountKey;
  readonly accountUrl: string;
  /** A fresh client (as a new process would make) for the fixture's account. */
  client(directoryUrl?: string, caBundle?: string | string[]): AcmeClient;
  deps(client: AcmeClient, solvers?: ChallengeSolver[]): EngineDeps;
  stop(): Promise<void>;
}

export async function startPebbleFixture(options: StartPebbleOptions = {}): Promise<PebbleFixture> {
  const http01 = new StandaloneHttp01Solver({ host: '127.0.0.1', port: 0 });
  const server = await http01.start();
  const pebble = await startPebble({ ...options, httpPort: server.port });
  const accountKey = await generateAccountKey('ES256');
  const clients: AcmeClient[] = [];
  const client = (directoryUrl = pebble.directoryUrl, caBundle: string | string[] = pebble.caBundlePem) => {
    const made = new AcmeClient({ directoryUrl, caBundle, accountKey, accountUrl });
    clients.push(made);
    return made;
  };
  let accountUrl: string | undefined;
  const registration = client();
  accountUrl = (await registration.accounts.create({ contact: ['mailto:ops@example.test'] })).url;
  return {
    pebble,
    http01,
    accountKey,
    accountUrl,
    client,
    deps: (acme, solvers = [http01]) => ({ client: acme, solvers }),
    async stop() {
      await Promise.all(clients.map((c) => c.close()));
      await http01.stop();
      await pebble.stop();
    },
  };
}

/**
 * The fault proxy in front of a fixture's Pebble, and the fixture's account URL as seen through it (a JWS `kid` must
 * carry the proxy's prefix). `setup` installs rules before anything reads, and caches, the directory.
 */
export async function proxyFixture(
  fixture: PebbleFixture,
  setup?: (proxy: FaultProxy) => void,
): Promise<{ proxy: FaultProxy; accountUrl: string }> {
  const proxy = await startFaultProxy({
    target: fixture.pebble.directoryUrl,
    caBundlePem: fixture.pebble.caBundlePem,
  });
  setup?.(proxy);
  const lookup = new AcmeClient({
    directoryUrl: proxy.directoryUrl,
    caBundle: proxy.caBundlePem,
    accountKey: fixture.accountKey,
  });
  try {
    return { proxy, accountUrl: (await lookup.accounts.find())!.url };
  } finally {
    await lookup.close();
  }
}
