import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect, createSecureContext } from 'node:tls';
import { handshake, startOnDemandRig } from '../ondemand/support.js';

type Emit = (bench: string, figures: Record<string, unknown>) => void;

/**
 * Handshakes per second for names on-demand TLS already holds in memory, against the same certificate served
 * statically (no SNICallback) and through a one-line SNICallback: what the cache lookup costs a handshake. Client and server share this process and
 * the machine's cores, as in the tests: the absolute figure is a floor, the ratio is the point.
 */
export async function benchOnDemand(emit: Emit, total = 3000, concurrency = 16): Promise<void> {
  const rig = await startOnDemandRig();
  try {
    const names = Array.from({ length: 10 }, (_, i) => `n${i}.ondemand.bench.test`);
    const { onDemand } = await rig.serve({ allow: '*.ondemand.bench.test' });
    for (const name of names) await handshake(rig.port, name, { ca: rig.root });

    // The same certificate: served statically (no SNICallback), and by the simplest SNICallback Node can have.
    const one = (await rig.store.listCertificates())[0]!;
    const context = createSecureContext({ key: one.keyPem, cert: one.certificatePem });
    const ports: Record<string, number> = { onDemand: rig.port };
    const servers: Server[] = [];
    for (const [label, options] of [
      ['staticCertificate', { key: one.keyPem, cert: one.certificatePem }],
      ['trivialSniCallback', { SNICallback: (_name, callback) => callback(null, context) }],
    ] as const satisfies readonly (readonly [string, ServerOptions])[]) {
      const server = createServer(options, (_req, res) => res.end());
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      ports[label] = (server.address() as AddressInfo).port;
    }
    // Interleaved rounds, median of each: the machine's other load falls on all three alike.
    const rounds: Record<string, number[]> = { onDemand: [], staticCertificate: [], trivialSniCallback: [] };
    for (let round = 0; round < 5; round++)
      for (const label of Object.keys(rounds))
        rounds[label]!.push(
          await handshakesPerSecond(
            ports[label]!,
            label === 'onDemand' ? names : [one.identifiers[0]!.value],
            total / 5,
            concurrency,
          ),
        );
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    const median = (values: number[]) => Math.round([...values].sort((a, b) => a - b)[2]!);

    // The lookup alone: SNICallback for a cached name, no socket.
    const lookups = 1_000_000;
    const t = performance.now();
    // Node calls it as a method of the connection: one object per call stands in for the TLSSocket.
    for (let i = 0; i < lookups; i++)
      onDemand.SNICallback.call({}, names[i % names.length]!, () => undefined);
    const lookupNs = ((performance.now() - t) * 1e6) / lookups;

    emit('ondemand-cached-handshakes', {
      handshakes: total,
      concurrency,
      names: names.length,
      perSecond: median(rounds.onDemand!),
      staticCertificatePerSecond: median(rounds.staticCertificate!),
      trivialSniCallbackPerSecond: median(rounds.trivialSniCallback!),
      sniLookupNs: Math.round(lookupNs),
      ordersAtCa: names.length,
    });
  } finally {
    await rig.stop();
  }
}

/** `total` full TLS 1.3 handshakes (no session resumption), `concurrency` at a time, over `names` in turn. */
async function handshakesPerSecond(port: number, names: string[], total: number, concurrency: number) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const servername = names[next++ % names.length]!;
        await new Promise<void>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
            socket.destroy();
            resolve();
          });
          socket.on('error', reject);
        });
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}
