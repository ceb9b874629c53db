import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { ErrorCodes, type PublicationReceipt } from '@certkeeper/core';
import { Http01ListenError } from '@certkeeper/http01';
import { StandaloneTlsAlpn01Solver } from '@certkeeper/tlsalpn01';
import { afterEach, describe, expect, it } from 'vitest';
import { challengeTask, closedByServer, handshake } from './helpers.js';

const solvers: StandaloneTlsAlpn01Solver[] = [];
afterEach(async () => {
  await Promise.all(solvers.splice(0).map((solver) => solver.stop()));
});

function solver(
  options: ConstructorParameters<typeof StandaloneTlsAlpn01Solver>[0] = {},
): StandaloneTlsAlpn01Solver {
  const created = new StandaloneTlsAlpn01Solver({ host: '127.0.0.1', port: 0, ...options });
  solvers.push(created);
  return created;
}

const acme = (servername: string) => ({ servername, ALPNProtocols: ['acme-tls/1'] });

describe('StandaloneTlsAlpn01Solver and its responder', () => {
  it('answers acme-tls/1 for every pending name with its own challenge certificate, over TLS 1.3 and 1.2', async () => {
    const tlsAlpn01 = solver();
    const tasks = [
      challengeTask('a.example.test'),
      challengeTask('b.example.test'),
      challengeTask('192.0.2.7'),
    ];
    const receipts = await tlsAlpn01.publish(tasks, {});
    const { port } = await tlsAlpn01.start();
    const a = await handshake(port, acme('a.example.test'));
    expect(a).toMatchObject({ alpn: 'acme-tls/1', protocol: 'TLSv1.3' });
    expect(a.certificate.subjectaltname).toBe('DNS:a.example.test');
    const b = await handshake(port, { ...acme('B.Example.Test'), maxVersion: 'TLSv1.2' });
    expect(b).toMatchObject({ alpn: 'acme-tls/1', protocol: 'TLSv1.2' });
    expect(b.certificate.subjectaltname).toBe('DNS:b.example.test');
    // RFC 8738 §6: an IP address is asked for by its reverse-DNS name.
    const ip = await handshake(port, acme('7.2.0.192.in-addr.arpa'));
    expect(ip.certificate.subjectaltname).toBe('IP Address:192.0.2.7');
    expect(new Set([a, b, ip].map((h) => h.certificate.fingerprint256)).size).toBe(3);
    expect(receipts).toEqual(
      tasks.map((task) => ({
        authorizationUrl: task.authorizationUrl,
        type: 'tls-alpn-01',
        data: { token: task.token },
      })),
    );
    expect(JSON.parse(JSON.stringify(receipts))).toEqual(receipts);
  });

  it('refuses every other handshake: unknown name, no name, no acme-tls/1, TLS 1.1', async () => {
    const tlsAlpn01 = solver();
    await tlsAlpn01.publish([challengeTask('a.example.test')], {});
    const { port } = await tlsAlpn01.start();
    await expect(handshake(port, acme('other.example.test'))).rejects.toThrow();
    await expect(handshake(port, { ALPNProtocols: ['acme-tls/1'] })).rejects.toThrow();
    await expect(
      handshake(port, { servername: 'a.example.test', ALPNProtocols: ['h2', 'http/1.1'] }),
    ).rejects.toMatchObject({ code: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' });
    await expect(handshake(port, { servername: 'a.example.test' })).rejects.toThrow();
    // TLS 1.2 chooses the certificate before ALPN: a client with no ALPN at all is cut once its handshake is done.
    expect(await closedByServer(port, { servername: 'a.example.test', maxVersion: 'TLSv1.2' })).toBe(true);
    await expect(
      handshake(port, {
        ...acme('a.example.test'),
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      }),
    ).rejects.toThrow();
    // Still serving after all of that.
    expect((await handshake(port, acme('a.example.test'))).alpn).toBe('acme-tls/1');
  });

  it('republishing a task keeps its certificate; cleanup removes exactly the receipts given', async () => {
    const tlsAlpn01 = solver();
    const orderA = [challengeTask('a.example.test')];
    const orderB = [challengeTask('c.example.test')];
    const receiptsA = await tlsAlpn01.publish(orderA, {});
    await tlsAlpn01.publish(orderB, {});
    const { port } = await tlsAlpn01.start();
    const first = (await handshake(port, acme('a.example.test'))).certificate.fingerprint256;
    await tlsAlpn01.publish(orderA, {});
    expect((await handshake(port, acme('a.example.test'))).certificate.fingerprint256).toBe(first);

    await tlsAlpn01.cleanup(JSON.parse(JSON.stringify(receiptsA)) as PublicationReceipt[], {});
    await expect(handshake(port, acme('a.example.test'))).rejects.toThrow();
    expect((await handshake(port, acme('c.example.test'))).alpn).toBe('acme-tls/1');
    await tlsAlpn01.cleanup(receiptsA, {});
  });

  it('presents SHA-256 of the key authorization (checked the way a CA does, from the handshake)', async () => {
    const tlsAlpn01 = solver();
    const task = challengeTask('a.example.test');
    await tlsAlpn01.publish([task], {});
    const { port } = await tlsAlpn01.start();
    const { certificate } = await handshake(port, acme('a.example.test'));
    const digest = createHash('sha256').update(task.keyAuthorization).digest('hex');
    // The extension sits in the DER as OID 1.3.6.1.5.5.7.1.31, BOOLEAN TRUE (critical), OCTET STRING { 04 20 digest }.
    expect(certificate.raw.toString('hex')).toContain(`06082b0601050507011f0101ff04220420${digest}`);
  });

  it('publishes nothing when one task of the order is bad, and refuses wildcards', async () => {
    const tlsAlpn01 = solver();
    const good = challengeTask('a.example.test');
    const wildcard = challengeTask('example.test', { wildcard: true });
    await expect(tlsAlpn01.publish([good, wildcard], {})).rejects.toMatchObject({
      code: ErrorCodes.SOLVER_FAILED,
    });
    await expect(
      tlsAlpn01.publish([good, challengeTask('b.example.test', { type: 'http-01' })], {}),
    ).rejects.toMatchObject({
      code: ErrorCodes.SOLVER_FAILED,
    });
    expect(tlsAlpn01.registry.size).toBe(0);
    expect(tlsAlpn01.supports({ type: 'dns', value: 'example.test' }, true)).toBe(false);
    expect(tlsAlpn01.supports({ type: 'ip', value: '192.0.2.1' }, false)).toBe(true);
    expect(tlsAlpn01.type).toBe('tls-alpn-01');
  });

  it('with stopWhenIdle, stops after the last cleanup and starts again on the next publish', async () => {
    const tlsAlpn01 = solver({ stopWhenIdle: true });
    const receipts = await tlsAlpn01.publish([challengeTask('a.example.test')], {});
    const { port } = await tlsAlpn01.start();
    await tlsAlpn01.cleanup(receipts, {});
    await expect(handshake(port, acme('a.example.test'))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await tlsAlpn01.publish([challengeTask('b.example.test')], {});
    const restarted = await tlsAlpn01.start();
    expect((await handshake(restarted.port, acme('b.example.test'))).alpn).toBe('acme-tls/1');
  });

  it('rejects publish with a listen error worded for port 443, publishes nothing, and retries on the next call', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const tlsAlpn01 = solver({ port });
    const task = challengeTask('a.example.test');
    const error = await tlsAlpn01.publish([task], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Http01ListenError);
    expect(error).toMatchObject({ code: ErrorCodes.LISTEN_FAILED, reason: 'address-in-use' });
    expect((error as Error).message).toContain(
      `The TLS-ALPN-01 responder cannot listen on 127.0.0.1:${port}`,
    );
    expect((error as Http01ListenError).hint).toContain('port 443');
    expect(tlsAlpn01.registry.size).toBe(0);

    await new Promise((resolve) => blocker.close(resolve));
    await tlsAlpn01.publish([task], {});
    expect((await handshake(port, acme('a.example.test'))).alpn).toBe('acme-tls/1');
  });
});
