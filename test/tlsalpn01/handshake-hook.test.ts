import { X509Certificate } from 'node:crypto';
import { createSecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext, createServer as createTlsServer, type Server } from 'node:tls';
import { createTestTls, type TestTlsMaterial } from '@certkeeper/testkit';
import { createTlsAlpn01Hook, RegistryTlsAlpn01Solver } from '@certkeeper/tlsalpn01';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { challengeTask, handshake } from './helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listening<S extends Server>(server: S): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
let own: TestTlsMaterial;
let other: TestTlsMaterial;
beforeAll(async () => {
  own = await createTestTls({ commonName: 'app', dnsNames: ['a.example.test'] });
  other = await createTestTls({ commonName: 'other', dnsNames: ['b.example.test'] });
});

describe('createTlsAlpn01Hook', () => {
  it('gives acme-tls/1 offers for a pending name the challenge certificate and everyone else the server’s', async () => {
    const solver = new RegistryTlsAlpn01Solver();
    const port = await listening(
      createHttpsServer(
        {
          key: own.privateKeyPem,
          cert: own.certificatePem,
          ...createTlsAlpn01Hook({ registry: solver.registry }),
        },
        (_req, res) => res.end('app'),
      ),
    );
    const receipts = await solver.publish([challengeTask('a.example.test')], {});

    const acme = await handshake(port, { servername: 'a.example.test', ALPNProtocols: ['acme-tls/1'] });
    expect(acme).toMatchObject({ alpn: 'acme-tls/1', protocol: 'TLSv1.3' });
    expect(acme.certificate.subjectaltname).toBe('DNS:a.example.test');
    expect(acme.certificate.fingerprint256).not.toBe(fingerprint(own.certificatePem));

    for (const ALPNProtocols of [['http/1.1'], ['h2', 'http/1.1'], undefined]) {
      const normal = await handshake(port, {
        servername: 'a.example.test',
        ca: own.caCertificatePem,
        ALPNProtocols,
        rejectUnauthorized: true,
      });
      expect(normal.certificate.fingerprint256).toBe(fingerprint(own.certificatePem));
      expect(normal.alpn).toBe(ALPNProtocols ? 'http/1.1' : false);
    }
    // A client offering acme-tls/1 among others for a pending name is validating: it gets acme-tls/1.
    expect(
      (await handshake(port, { servername: 'a.example.test', ALPNProtocols: ['http/1.1', 'acme-tls/1'] }))
        .alpn,
    ).toBe('acme-tls/1');
    // Not pending: acme-tls/1 is never negotiated with the server's own certificate.
    await expect(
      handshake(port, { servername: 'b.example.test', ALPNProtocols: ['acme-tls/1'] }),
    ).rejects.toMatchObject({ code: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' });
    // TLS 1.2 picks the certificate before ALPN: refused rather than completed with the wrong certificate.
    await expect(
      handshake(port, { servername: 'a.example.test', ALPNProtocols: ['acme-tls/1'], maxVersion: 'TLSv1.2' }),
    ).rejects.toMatchObject({ code: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' });
    // ...while a normal TLS 1.2 client is unaffected.
    expect(
      (
        await handshake(port, {
          servername: 'a.example.test',
          ALPNProtocols: ['http/1.1'],
          maxVersion: 'TLSv1.2',
        })
      ).certificate.fingerprint256,
    ).toBe(fingerprint(own.certificatePem));

    await solver.cleanup(receipts, {});
    await expect(
      handshake(port, { servername: 'a.example.test', ALPNProtocols: ['acme-tls/1'] }),
    ).rejects.toMatchObject({ code: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' });
  });

  it('hands normal handshakes to the server’s own SNICallback and ALPN preference', async () => {
    const solver = new RegistryTlsAlpn01Solver();
    const contexts = new Map([
      ['a.example.test', createSecureContext({ key: own.privateKeyPem, cert: own.certificatePem })],
      ['b.example.test', createSecureContext({ key: other.privateKeyPem, cert: other.certificatePem })],
    ]);
    const port = await listening(
      createTlsServer(
        createTlsAlpn01Hook({
          registry: solver.registry,
          SNICallback: (name, callback) => callback(null, contexts.get(name)),
          ALPNProtocols: ['h2', 'http/1.1'],
        }),
        (socket) => socket.end(),
      ),
    );
    await solver.publish([challengeTask('a.example.test'), challengeTask('192.0.2.7')], {});

    const b = await handshake(port, { servername: 'b.example.test', ALPNProtocols: ['http/1.1', 'h2'] });
    expect(b.certificate.fingerprint256).toBe(fingerprint(other.certificatePem));
    expect(b.alpn).toBe('h2'); // the server's preference, as Node's own ALPNProtocols selection
    const a = await handshake(port, { servername: 'a.example.test', ALPNProtocols: ['http/1.1'] });
    expect(a.certificate.fingerprint256).toBe(fingerprint(own.certificatePem));
    await expect(
      handshake(port, { servername: 'b.example.test', ALPNProtocols: ['spdy/3'] }),
    ).rejects.toMatchObject({ code: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' });
    // RFC 8738 §6: the IP address's challenge, asked for by its reverse-DNS name.
    const ip = await handshake(port, { servername: '7.2.0.192.in-addr.arpa', ALPNProtocols: ['acme-tls/1'] });
    expect(ip.certificate.subjectaltname).toBe('IP Address:192.0.2.7');
  });

  it('works in http2.createSecureServer: h2 and HTTP/1.1 clients keep the server, acme-tls/1 validates', async () => {
    const solver = new RegistryTlsAlpn01Solver();
    const server = createSecureServer(
      {
        key: own.privateKeyPem,
        cert: own.certificatePem,
        allowHTTP1: true,
        ...createTlsAlpn01Hook({ registry: solver.registry, ALPNProtocols: ['h2', 'http/1.1'] }),
      },
      (_req, res) => res.end('app'),
    );
    const port = await listening(server as unknown as Server);
    await solver.publish([challengeTask('a.example.test')], {});
    for (const [offer, expected] of [
      [['h2', 'http/1.1'], 'h2'],
      [['http/1.1'], 'http/1.1'],
    ] as const) {
      const normal = await handshake(port, { servername: 'a.example.test', ALPNProtocols: [...offer] });
      expect(normal).toMatchObject({ alpn: expected });
      expect(normal.certificate.fingerprint256).toBe(fingerprint(own.certificatePem));
    }
    const acme = await handshake(port, { servername: 'a.example.test', ALPNProtocols: ['acme-tls/1'] });
    expect(acme.alpn).toBe('acme-tls/1');
    expect(acme.certificate.subjectaltname).toBe('DNS:a.example.test');
  });

  it('passes a custom ALPNCallback the offer without acme-tls/1, with the socket as `this`', async () => {
    const solver = new RegistryTlsAlpn01Solver();
    const seen: { servername: string; protocols: string[]; socket: boolean }[] = [];
    const port = await listening(
      createTlsServer(
        {
          key: own.privateKeyPem,
          cert: own.certificatePem,
          ...createTlsAlpn01Hook({
            registry: solver.registry,
            ALPNCallback(this: unknown, offer) {
              seen.push({
                ...offer,
                socket: typeof (this as { getProtocol?: unknown }).getProtocol === 'function',
              });
              return offer.protocols.at(-1);
            },
          }),
        },
        (socket) => socket.end(),
      ),
    );
    const chosen = await handshake(port, {
      servername: 'c.example.test',
      ALPNProtocols: ['acme-tls/1', 'x', 'y'],
    });
    expect(chosen.alpn).toBe('y');
    expect(seen).toEqual([{ servername: 'c.example.test', protocols: ['x', 'y'], socket: true }]);
  });
});
