import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { MiniAcme } from './support/mini-acme.js';

const running: PebbleHandle[] = [];
const start = async (...args: Parameters<typeof startPebble>) => {
  const handle = await startPebble(...args);
  running.push(handle);
  return handle;
};
afterEach(async () => {
  await Promise.all(running.splice(0).map((handle) => handle.stop()));
});

interface Challenge {
  readonly type: string;
  readonly url: string;
  readonly token: string;
}

async function firstChallenge(client: MiniAcme, name: string, type: string) {
  const order = await client.newOrder([name]);
  const authzUrl = (order.json as { authorizations: string[] }).authorizations[0]!;
  const authz = await client.post(authzUrl, '');
  const challenge = (authz.json as { challenges: Challenge[] }).challenges.find((c) => c.type === type)!;
  return { authzUrl, challenge };
}

describe('startPebble options', () => {
  it('requires external account binding when configured, and accepts a binding made with its MAC key', async () => {
    const pebble = await start({
      externalAccountBinding: {
        macKeys: { 'kid-eab': 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W' },
      },
    });
    expect(pebble.externalAccountKeys).toEqual({ 'kid-eab': expect.any(String) });

    const refused = await new MiniAcme(pebble.directoryUrl, pebble.caBundlePem).init();
    expect(refused.directory.meta?.externalAccountRequired).toBe(true);
    const withoutEab = await refused.newAccount();
    expect(withoutEab.status).toBe(403);
    expect(withoutEab.json?.type).toBe('urn:ietf:params:acme:error:externalAccountRequired');
    await refused.close();

    const accepted = await new MiniAcme(pebble.directoryUrl, pebble.caBundlePem).init();
    const withEab = await accepted.newAccount({
      kid: 'kid-eab',
      hmacKey: pebble.externalAccountKeys['kid-eab']!,
    });
    expect(withEab.status).toBe(201);
    await accepted.close();
  });

  it('generates an EAB key pair when none is given', async () => {
    const pebble = await start({ externalAccountBinding: {} });
    const [kid, key] = Object.entries(pebble.externalAccountKeys)[0]!;
    const client = await new MiniAcme(pebble.directoryUrl, pebble.caBundlePem).init();
    expect((await client.newAccount({ kid, hmacKey: key })).status).toBe(201);
    await client.close();
  });

  it('passes env knobs to Pebble (PEBBLE_WFE_NONCEREJECT=100 rejects every nonce)', async () => {
    const pebble = await start({ env: { PEBBLE_WFE_NONCEREJECT: '100' } });
    const client = await new MiniAcme(pebble.directoryUrl, pebble.caBundlePem).init();
    const response = await client.newAccount();
    expect(response.json?.type).toBe('urn:ietf:params:acme:error:badNonce');
    await client.close();
  });

  it('uses a given httpPort, so a responder bound first on port 0 leaves no port race', async () => {
    let answer = '';
    const responder: Server = createServer((_req, res) => res.end(answer));
    await new Promise<void>((resolve) => responder.listen(0, '127.0.0.1', resolve));
    const httpPort = (responder.address() as AddressInfo).port;
    try {
      const pebble = await start({ httpPort });
      expect(pebble.httpPort).toBe(httpPort);
      const client = await new MiniAcme(pebble.directoryUrl, pebble.caBundlePem).init();
      await client.newAccount();
      const { authzUrl, challenge } = await firstChallenge(client, 'given-port.example.test', 'http-01');
      answer = await client.keyAuthorization(challenge.token);
      await client.post(challenge.url, {});
      expect((await client.pollUntilSettled(authzUrl)).json?.status).toBe('valid');
      await client.close();
    } finally {
      await new Promise((resolve) => responder.close(resolve));
    }
  });

  it('can let challtestsrv answer http-01 itself', async () => {
    const pebble = await start({ challtestsrvResponders: { http01: true } });
    const client = await new MiniAcme(pebble.directoryUrl, pebble.caBundlePem).init();
    await client.newAccount();
    const { authzUrl, challenge } = await firstChallenge(client, 'challtestsrv-http.example.test', 'http-01');
    await pebble.challtestsrv.addHttp01(challenge.token, await client.keyAuthorization(challenge.token));
    await client.post(challenge.url, {});
    expect((await client.pollUntilSettled(authzUrl)).json?.status).toBe('valid');
    const history = await pebble.challtestsrv.httpRequestHistory('challtestsrv-http.example.test');
    expect(history[0]?.URL).toBe(`/.well-known/acme-challenge/${challenge.token}`);
    await client.close();
  });

  it('rejects impossible ports before starting anything', async () => {
    await expect(startPebble({ httpPort: 70000 })).rejects.toMatchObject({
      code: 'CERTKEEPER_ERR_INVALID_OPTION',
    });
    await expect(startPebble({ httpPort: 5002, tlsPort: 5002 })).rejects.toMatchObject({
      code: 'CERTKEEPER_ERR_INVALID_OPTION',
    });
  });

  it('says to run scripts/setup.sh when the Pebble binary is missing', async () => {
    const error = await startPebble({ pebbleBinary: '/nonexistent/pebble' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CERTKEEPER_ERR_TEST_HARNESS',
      message: expect.stringMatching(/could not be started[\s\S]*Next: Run scripts\/setup\.sh/),
    });
  });

  it('fails saying to run scripts/setup.sh when Pebble 2.10 is not where CERTKEEPER_PEBBLE_DIR says', async () => {
    const saved = process.env.CERTKEEPER_PEBBLE_DIR;
    process.env.CERTKEEPER_PEBBLE_DIR = '/nonexistent/certkeeper-pebble';
    try {
      await expect(startPebble()).rejects.toMatchObject({
        code: 'CERTKEEPER_ERR_TEST_HARNESS',
        message: expect.stringMatching(
          /Pebble 2\.10 is not installed: \/nonexistent\/certkeeper-pebble holds no[\s\S]*Next: run scripts\/setup\.sh/,
        ),
      });
    } finally {
      if (saved === undefined) delete process.env.CERTKEEPER_PEBBLE_DIR;
      else process.env.CERTKEEPER_PEBBLE_DIR = saved;
    }
  });

  it('reports a Pebble that dies at startup with its output', async () => {
    // A certificate validity Pebble cannot parse makes it exit while reading its config.
    const error = await startPebble({ certificateValidityPeriodSeconds: -1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CERTKEEPER_ERR_TEST_HARNESS',
      message: expect.stringMatching(/pebble exited[\s\S]*--- pebble output \(tail\) ---\n.*\S/),
    });
  });
});
