import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConnectionOptions, connect } from 'node:tls';
import type { ChallengeSolver } from '@certkeeper/core';
import { type CertificateManager, createCertificateManager } from '@certkeeper/manager';
import {
  createOnDemandTls,
  type OnDemandManager,
  type OnDemandTls,
  type OnDemandTlsOptions,
} from '@certkeeper/ondemand';
import { FileStore } from '@certkeeper/store';
import { type PebbleHandle, type StartPebbleOptions, startPebble } from '@certkeeper/testkit';
import { RegistryTlsAlpn01Solver } from '@certkeeper/tlsalpn01';

/** A port free on 127.0.0.1 right now: Pebble's VA is told it before the server under test listens on it. */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Pebble 2.10 whose VA validates tls-alpn-01 on the port of an on-demand HTTPS server (127.0.0.1; challtestsrv
 * answers every name with 127.0.0.1), and a FileStore in a temporary directory.
 */
export interface OnDemandRig {
  readonly pebble: PebbleHandle;
  readonly port: number;
  readonly store: FileStore;
  readonly root: string;
  /** A manager on the rig's store and CA, proving names with `solvers` (a new one per call: a new process). */
  manager(...solvers: ChallengeSolver[]): CertificateManager;
  /** Calls of `ensure` by the servers' on-demand TLS: each is one attempt the policy judged (a possible order). */
  ensureCalls(): number;
  /** An HTTPS server on the rig's port serving on-demand certificates; closed by `stop()`. */
  serve(
    options: Omit<OnDemandTlsOptions, 'manager' | 'challenges'>,
  ): Promise<{ onDemand: OnDemandTls; server: Server }>;
  stop(): Promise<void>;
}

export async function startOnDemandRig(pebbleOptions: StartPebbleOptions = {}): Promise<OnDemandRig> {
  const port = await freePort();
  const pebble = await startPebble({ ...pebbleOptions, tlsPort: port });
  const dir = await mkdtemp(join(tmpdir(), 'certkeeper-ondemand-'));
  const store = await FileStore.open({ directory: dir });
  const root = await pebble.rootCertificatePem();
  const managers: CertificateManager[] = [];
  const running: { onDemand: OnDemandTls; server: Server }[] = [];
  let ensureCalls = 0;
  const manager = (...solvers: ChallengeSolver[]) => {
    const made = createCertificateManager({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      account: { contact: ['mailto:ops@example.test'] },
      store,
      solvers,
      metrics: false,
    });
    managers.push(made);
    return made;
  };
  return {
    pebble,
    port,
    store,
    root,
    manager,
    ensureCalls: () => ensureCalls,
    async serve(options) {
      const tlsAlpn01 = new RegistryTlsAlpn01Solver();
      const real = manager(tlsAlpn01);
      const counted: OnDemandManager = {
        ensure: (...args) => {
          ensureCalls++;
          return real.ensure(...args);
        },
        renew: (...args) => real.renew(...args),
        storedCertificate: (...args) => real.storedCertificate(...args),
      };
      const onDemand = createOnDemandTls({ ...options, manager: counted, challenges: { tlsAlpn01 } });
      const server = createServer(
        { SNICallback: onDemand.SNICallback, ALPNCallback: onDemand.ALPNCallback },
        (req, res) => res.end(`hello ${req.headers.host}`),
      );
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      running.push({ onDemand, server });
      return { onDemand, server };
    },
    async stop() {
      for (const { onDemand, server } of running.splice(0)) {
        await onDemand.close();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await Promise.all(managers.map((m) => m.close()));
      await pebble.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Handshake {
  readonly serialNumber: string;
  readonly subjectaltname: string | undefined;
  readonly authorized: boolean;
}

/** One real TLS handshake as a browser makes it (SNI, http/1.1), verified against `ca`; rejects when refused. */
export function handshake(
  port: number,
  servername: string,
  options: ConnectionOptions = {},
): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port, servername, ALPNProtocols: ['http/1.1'], ...options },
      () => {
        const certificate = socket.getPeerCertificate();
        resolve({
          serialNumber: certificate.serialNumber,
          subjectaltname: certificate.subjectaltname,
          authorized: socket.authorized,
        });
        socket.end();
      },
    );
    socket.on('error', reject);
  });
}
