import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handshake, type OnDemandRig, startOnDemandRig } from './support.js';

/**
 * The same callbacks on each kind of Node TLS server: a new name issued through tls-alpn-01 answered by that server
 * (Pebble's VA connects to it offering only acme-tls/1), then normal clients get the server's own protocol.
 */
describe('on-demand TLS on tls.createServer, https.createServer and http2.createSecureServer', () => {
  let rig: OnDemandRig;

  beforeAll(async () => {
    rig = await startOnDemandRig();
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it.each([
    ['tls', undefined, false],
    ['https', ['http/1.1'], 'http/1.1'],
    ['http2', ['h2', 'http/1.1'], 'h2'],
  ] as const)(
    '%s: issues on the first handshake, then negotiates the server’s own protocol',
    async (kind, offered, expected) => {
      const { close } = await rig.serve({ allow: '*.kinds.example.test' }, { kind });
      try {
        const name = `${kind}.kinds.example.test`;
        const first = await handshake(rig.port, name, {
          ca: rig.root,
          ALPNProtocols: offered ? [...offered] : undefined,
        });
        expect(first).toMatchObject({ authorized: true, subjectaltname: `DNS:${name}`, alpn: expected });
        if (kind === 'http2') {
          // HTTP/1.1 clients of the http2 server (allowHTTP1) are served too.
          const fallback = await handshake(rig.port, name, { ca: rig.root, ALPNProtocols: ['http/1.1'] });
          expect(fallback).toMatchObject({ serialNumber: first.serialNumber, alpn: 'http/1.1' });
        }
      } finally {
        await close();
      }
    },
  );
});
