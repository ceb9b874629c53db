import 'reflect-metadata';
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import { connect } from 'node:tls';
import {
  ACME_IDENTIFIER_OID,
  AcmeClient,
  type ChallengeSolver,
  generateAccountKey,
  parseCertificate,
  prepareOrder,
  runOrder,
} from '@certkeeper/core';
import { createTestTls, type PebbleHandle, startPebble } from '@certkeeper/testkit';
import {
  createTlsAlpn01Hook,
  RegistryTlsAlpn01Solver,
  StandaloneTlsAlpn01Solver,
  startTlsAlpn01Server,
} from '@certkeeper/tlsalpn01';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * tls-alpn-01 end to end against Pebble 2.10: its VA opens a TLS connection to <identifier>:<tlsPort> offering
 * only ALPN acme-tls/1, with the name (or, for an IP, its reverse-DNS name) as SNI, and checks the certificate.
 */
describe('tls-alpn-01, issued from Pebble', () => {
  let pebble: PebbleHandle;
  let port: number;
  let client: AcmeClient;
  let accountUrl: string;

  beforeAll(async () => {
    // A free loopback port for Pebble's tlsPort: bound once to learn it, then released for the code under test.
    const probe = await startTlsAlpn01Server({ host: '127.0.0.1', port: 0 });
    port = probe.port;
    await probe.stop();
    pebble = await startPebble({ tlsPort: port });
    client = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey: await generateAccountKey(),
    });
    accountUrl = (await client.accounts.create()).url;
  });
  afterAll(async () => {
    await client?.close();
    await pebble?.stop();
  });

  const issue = async (identifiers: string[], solver: ChallengeSolver) => {
    const state = await prepareOrder({ directoryUrl: pebble.directoryUrl, accountUrl, identifiers });
    const { certificate } = await runOrder(state, { client, solvers: [solver] });
    return parseCertificate(certificate.pem);
  };

  it('standalone: issues for a DNS name and for an IP address (RFC 8738)', async () => {
    const solver = new StandaloneTlsAlpn01Solver({ host: '127.0.0.1', port, stopWhenIdle: true });
    try {
      const started = performance.now();
      const dns = await issue(['standalone.alpn.example.test'], solver);
      expect(dns.names).toEqual(['standalone.alpn.example.test']);
      const ip = await issue(['127.0.0.1'], solver);
      expect(ip.ipAddresses).toEqual(['127.0.0.1']);
      console.log(`tls-alpn-01 standalone: 2 issuances in ${Math.round(performance.now() - started)} ms`);
      // The responder answered; nothing is left published and, with stopWhenIdle, the port is free again.
      expect(solver.registry.size).toBe(0);
      await expect(tlsHandshake(port, 'standalone.alpn.example.test', ['acme-tls/1'])).rejects.toThrow(
        /ECONNREFUSED/,
      );
    } finally {
      await solver.stop();
    }
  });

  it('hook: a running https server validates on its own port and keeps serving its own certificate', async () => {
    const own = await createTestTls({
      commonName: 'hooked.alpn.example.test',
      dnsNames: ['hooked.alpn.example.test'],
    });
    const ownFingerprint = new X509Certificate(own.certificatePem).fingerprint256;
    const registrySolver = new RegistryTlsAlpn01Solver();
    // Right after the responses are published (before the CA is told to validate), look at both kinds of client.
    const whilePending: {
      normal: { fingerprint: string; body: string };
      acme: Awaited<ReturnType<typeof tlsHandshake>>;
    }[] = [];
    const solver: ChallengeSolver = {
      type: registrySolver.type,
      volatile: true,
      supports: (identifier, wildcard) => registrySolver.supports(identifier, wildcard),
      cleanup: (receipts, context) => registrySolver.cleanup(receipts, context),
      async publish(tasks, context) {
        const receipts = await registrySolver.publish(tasks, context);
        whilePending.push({
          normal: await httpsGet(port, 'hooked.alpn.example.test', own.caCertificatePem),
          acme: await tlsHandshake(port, 'hooked.alpn.example.test', ['acme-tls/1']),
        });
        return receipts;
      },
    };
    const server: Server = createServer(
      {
        key: own.privateKeyPem,
        cert: own.certificatePem,
        ...createTlsAlpn01Hook({ registry: registrySolver.registry }),
      },
      (_req, res) => res.end('hello from the app'),
    );
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    // While Pebble validates, a normal client keeps hitting the same name on the same port.
    const seenByClients: string[] = [];
    const bodies = new Set<string>();
    let validating = true;
    const traffic = (async () => {
      while (validating) {
        const answer = await httpsGet(port, 'hooked.alpn.example.test', own.caCertificatePem);
        seenByClients.push(answer.fingerprint);
        bodies.add(answer.body);
      }
    })();
    try {
      const issued = await issue(['hooked.alpn.example.test', '127.0.0.1'], solver);
      validating = false;
      await traffic;
      expect(issued.names).toEqual(['hooked.alpn.example.test']);
      expect(issued.ipAddresses).toEqual(['127.0.0.1']);
      // While the challenges were pending: the app's certificate and response for a normal client, the
      // challenge certificate (critical acmeIdentifier) for an acme-tls/1 offer on the same port and name.
      // (The engine publishes volatile responses again right before answering: every time is checked.)
      expect(whilePending.length).toBeGreaterThan(0);
      for (const { normal, acme } of whilePending) {
        expect(normal).toEqual({ fingerprint: ownFingerprint, body: 'hello from the app' });
        expect(acme.alpn).toBe('acme-tls/1');
        expect(acme.certificate?.subjectAltName).toBe('DNS:hooked.alpn.example.test');
        const acmeIdentifier = new x509.X509Certificate(acme.certificate!.raw).getExtension(
          ACME_IDENTIFIER_OID,
        );
        expect(acmeIdentifier?.critical).toBe(true);
        expect(acme.certificate?.fingerprint256).not.toBe(ownFingerprint);
      }
      // And through Pebble's whole validation, every normal handshake got the app's certificate.
      expect(seenByClients.length).toBeGreaterThan(0);
      expect(new Set(seenByClients)).toEqual(new Set([ownFingerprint]));
      expect(bodies).toEqual(new Set(['hello from the app']));
      expect(registrySolver.registry.size).toBe(0);
      console.log(`tls-alpn-01 hook: ${seenByClients.length} normal handshakes during the issuance`);
    } finally {
      validating = false;
      await traffic.catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

function tlsHandshake(port: number, servername: string, ALPNProtocols: string[]) {
  return new Promise<{ alpn: string | false; certificate: X509Certificate | undefined }>(
    (resolve, reject) => {
      const socket = connect(
        { host: '127.0.0.1', port, servername, ALPNProtocols, rejectUnauthorized: false },
        () => {
          resolve({ alpn: socket.alpnProtocol ?? false, certificate: socket.getPeerX509Certificate() });
          socket.end();
        },
      );
      socket.on('error', reject);
    },
  );
}

function httpsGet(port: number, servername: string, ca: string) {
  return new Promise<{ fingerprint: string; body: string }>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, ca, ALPNProtocols: ['http/1.1'] }, () => {
      const fingerprint = socket.getPeerX509Certificate()?.fingerprint256 ?? '';
      let body = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (body += chunk));
      socket.on('end', () => resolve({ fingerprint, body: body.split('\r\n\r\n')[1] ?? '' }));
      socket.write(`GET / HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('error', reject);
  });
}
