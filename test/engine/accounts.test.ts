import { AcmeClient, generateAccountKey } from '@certkeeper/core';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/rejection.js';

describe('accounts against Pebble', () => {
  let pebble: PebbleHandle;
  const clients: AcmeClient[] = [];
  const client = async (alg: 'ES256' | 'ES384' | 'RS256' = 'ES256') => {
    const made = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey: await generateAccountKey(alg),
    });
    clients.push(made);
    return made;
  };
  beforeAll(async () => {
    pebble = await startPebble();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await pebble?.stop();
  });

  it.each(['ES256', 'ES384', 'RS256'] as const)(
    'registers with an %s key, and finds it again without creating',
    async (alg) => {
      const acme = await client(alg);
      expect(await acme.accounts.find()).toBeUndefined();
      const created = await acme.accounts.create({ contact: ['mailto:a@example.test'] });
      expect(created.created).toBe(true);
      expect(created.account.status).toBe('valid');
      const again = await acme.accounts.create();
      expect(again).toMatchObject({ url: created.url, created: false });
      expect((await acme.accounts.find())?.url).toBe(created.url);
    },
  );

  it('updates contacts', async () => {
    const acme = await client();
    await acme.accounts.create({ contact: ['mailto:old@example.test'] });
    const updated = await acme.accounts.updateContact(['mailto:new@example.test']);
    expect(updated.contact).toEqual(['mailto:new@example.test']);
  });

  it('rolls the account key over, and the old key no longer finds the account', async () => {
    const acme = await client();
    const { url } = await acme.accounts.create();
    const oldKey = acme.accountKey;
    const newKey = await generateAccountKey('ES384');
    await acme.accounts.rolloverKey(newKey);
    expect(acme.accountKey).toBe(newKey);
    expect((await acme.accounts.get()).status).toBe('valid');
    const withNewKey = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey: newKey,
    });
    const withOldKey = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey: oldKey,
    });
    clients.push(withNewKey, withOldKey);
    expect((await withNewKey.accounts.find())?.url).toBe(url);
    expect(await withOldKey.accounts.find()).toBeUndefined();
  });

  it('deactivates an account, after which the CA refuses it with a typed error', async () => {
    const acme = await client();
    await acme.accounts.create();
    expect((await acme.accounts.deactivate()).status).toBe('deactivated');
    const error = await rejectionOf(acme.accounts.get());
    expect(error.code).toMatch(/^CERTKEEPER_ERR_/);
    expect(error.type).toBe('unauthorized');
    expect(error.status).toBe(403);
  });
});

describe('External Account Binding against a Pebble that requires it', () => {
  let pebble: PebbleHandle;
  beforeAll(async () => {
    pebble = await startPebble({ externalAccountBinding: { required: true } });
  });
  afterAll(() => pebble?.stop());

  it('is refused without EAB, before any request, and registers with it', async () => {
    const acme = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey: await generateAccountKey(),
    });
    try {
      const refused = await rejectionOf(acme.accounts.create());
      expect(refused.code).toBe('CERTKEEPER_ERR_UNSUPPORTED_BY_CA');
      expect(acme.transport.stats.signed).toBe(0);
      const [kid, hmacKey] = Object.entries(pebble.externalAccountKeys)[0]!;
      const created = await acme.accounts.create({ externalAccountBinding: { kid, hmacKey } });
      expect(created.account.status).toBe('valid');
    } finally {
      await acme.close();
    }
  });

  it('keeps the HMAC key out of the error when the key is wrong', async () => {
    const acme = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey: await generateAccountKey(),
    });
    try {
      const [kid] = Object.keys(pebble.externalAccountKeys);
      const wrongKey = Buffer.alloc(32, 7).toString('base64url');
      const error = await rejectionOf(
        acme.accounts.create({ externalAccountBinding: { kid: kid!, hmacKey: wrongKey } }),
      );
      expect(error).toBeInstanceOf(Error);
      expect(error.message).not.toContain(wrongKey);
    } finally {
      await acme.close();
    }
  });
});
