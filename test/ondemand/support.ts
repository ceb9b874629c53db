import { mkdtemp, rm } from 'node:fs/promises';
import { createSecureServer } from 'node:http2';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ConnectionOptions,
  connect,
  createServer as createTlsServer,
  type Server as TlsServer,
} from 'node:tls';
import type { ChallengeSolver } from '@certkeeper/core';
import { type CertificateManager, createCertificateManager } from '@certkeeper/manager';
import {
  createOnDemandTls,
  type OnDemandManager,
  type OnDemandTls,
  type OnDemandTlsOptions,
} from '@certkeeper/ondemand';
import { FileStore, type Store } from '@certkeeper/store';
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
 * answers every name with 127.0.0.1), and a store: a FileStore in a temporary directory unless one is given.
 */
export interface OnDemandRig {
  readonly pebble: PebbleHandle;
  readonly port: number;
  readonly store: Store;
  readonly root: string;
  /** A manager on the rig's store and CA, proving names with `solvers` (a new one per call: a new process). */
  manager(...solvers: ChallengeSolver[]): CertificateManager;
  /** Calls of `ensure` by the servers' on-demand TLS: each is one attempt the policy judged (a possible order). */
  ensureCalls(): number;
  /**
   * A server serving on-demand certificates — `https` (default), plain `tls`, or `http2` with HTTP/1.1 fallback —
   * with a manager of its own, on the rig's port (where Pebble validates) unless `port` says otherwise; closed by its
   * `close()` or the rig's `stop()`. `tlsAlpn01`: a solver to share with another server.
   */
  serve(
    options: Omit<OnDemandTlsOptions, 'manager' | 'challenges'>,
    server?: { kind?: 'https' | 'tls' | 'http2'; port?: number; tlsAlpn01?: RegistryTlsAlpn01Solver },
  ): Promise<{ onDemand: OnDemandTls; server: TlsServer; port: number; close(): Promise<void> }>;
  stop(): Promise<void>;
}

export async function startOnDemandRig(
  pebbleOptions: StartPebbleOptions = {},
  given?: Store,
): Promise<OnDemandRig> {
  const port = await freePort();
  const pebble = await startPebble({ ...pebbleOptions, tlsPort: port });
  const dir = await mkdtemp(join(tmpdir(), 'certkeeper-ondemand-'));
  const store = given ?? (await FileStore.open({ directory: dir }));
  const root = await pebble.rootCertificatePem();
  const managers: CertificateManager[] = [];
  const running: (() => Promise<void>)[] = [];
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
    async serve(
      options,
      { kind = 'https', port: listenOn = port, tlsAlpn01 = new RegistryTlsAlpn01Solver() } = {},
    ) {
      const real = manager(tlsAlpn01);
      const counted: OnDemandManager = {
        ensure: (...args) => {
          ensureCalls++;
          return real.ensure(...args);
        },
        renew: (...args) => real.renew(...args),
        storedCertificate: (...args) => real.storedCertificate(...args),
      };
      const onDemand = createOnDemandTls({
        ...options,
        ...(kind === 'http2' ? { ALPNProtocols: ['h2', 'http/1.1'] } : {}),
        manager: counted,
        challenges: { tlsAlpn01 },
      });
      const callbacks = { SNICallback: onDemand.SNICallback, ALPNCallback: onDemand.ALPNCallback };
      const server: TlsServer =
        kind === 'tls'
          ? createTlsServer(callbacks, (socket) => socket.end('hello over tls\n'))
          : kind === 'http2'
            ? createSecureServer({ ...callbacks, allowHTTP1: true }, (req, res) =>
                res.end(`hello ${req.headers.host}`),
              )
            : createServer(callbacks, (req, res) => res.end(`hello ${req.headers.host}`));
      const sockets = new Set<Socket>();
      server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(listenOn, '127.0.0.1', resolve));
      const close = async () => {
        await onDemand.close();
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
      };
      running.push(close);
      return { onDemand, server, port: listenOn, close };
    },
    async stop() {
      for (const close of running.splice(0)) await close();
      await Promise.all(managers.map((m) => m.close()));
      await pebble.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A serial number as hex in one form: upper case, without leading zeros. Node's TLS peer certificate drops the DER
 * sign byte (00) that the store's `serialNumberHex` keeps — for a serial whose first byte is 0x80 or more, half of
 * them — so the same serial compared as text failed now and then.
 */
export function canonicalSerial(hex: string): string {
  return hex.toUpperCase().replace(/^0+(?=.)/, '');
}

export interface Handshake {
  /** {@link canonicalSerial} form. */
  readonly serialNumber: string;
  readonly subjectaltname: string | undefined;
  readonly authorized: boolean;
  readonly alpn: string | false;
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
          serialNumber: canonicalSerial(certificate.serialNumber),
          subjectaltname: certificate.subjectaltname,
          authorized: socket.authorized,
          alpn: socket.alpnProtocol ?? false,
        });
        socket.end();
      },
    );
    socket.on('error', reject);
  });
}
