import { StandaloneHttp01Solver } from '@certkeeper/http01';
import { type FaultProxy, type PebbleHandle, startFaultProxy, startPebble } from '@certkeeper/testkit';

/** What manager-level suites talk to: Pebble behind the fault proxy, its VA reaching a standalone http-01 responder. */
export interface ProxiedPebble {
  readonly pebble: PebbleHandle;
  readonly proxy: FaultProxy;
  /** Listens on the port Pebble's VA connects to; give it to managers as their solver. */
  readonly http01: StandaloneHttp01Solver;
  /** Stops the responder, the proxy and Pebble (close managers first). */
  stop(): Promise<void>;
}

/** Starts a {@link ProxiedPebble}. Nothing has read the directory yet: rules that change it can still be added. */
export async function startProxiedPebble(): Promise<ProxiedPebble> {
  // A free port for the responder, known before Pebble starts, since Pebble's VA is told where to connect.
  const probe = new StandaloneHttp01Solver({ host: '127.0.0.1', port: 0 });
  const port = (await probe.start()).port;
  await probe.stop();
  const http01 = new StandaloneHttp01Solver({ host: '127.0.0.1', port });
  const pebble = await startPebble({ httpPort: port });
  const proxy = await startFaultProxy({ target: pebble.directoryUrl, caBundlePem: pebble.caBundlePem });
  return {
    pebble,
    proxy,
    http01,
    async stop() {
      await http01.stop();
      await proxy.close();
      await pebble.stop();
    },
  };
}
