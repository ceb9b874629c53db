import {
  createCsr,
  generateCertificateKey,
  parseCertificateChain,
  prepareOrder,
  runOrder,
} from '@certkeeper/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/rejection.js';
import { type PebbleFixture, startPebbleFixture } from './pebble-fixture.js';

describe('order variants against Pebble', () => {
  let fixture: PebbleFixture;
  beforeAll(async () => {
    fixture = await startPebbleFixture();
  });
  afterAll(() => fixture?.stop());

  const issue = async (input: Omit<Parameters<typeof prepareOrder>[0], 'directoryUrl' | 'accountUrl'>) => {
    const client = fixture.client();
    const state = await prepareOrder({
      directoryUrl: fixture.pebble.directoryUrl,
      accountUrl: fixture.accountUrl,
      ...input,
    });
    const result = await runOrder(state, fixture.deps(client));
    return { ...result, client, leaf: parseCertificateChain(result.certificate.pem)[0]! };
  };

  it('issues a 10-name certificate with two requests per extra name', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `n${i}.ten.example.test`);
    const { leaf, client } = await issue({ identifiers: names });
    expect([...leaf.names].sort()).toEqual([...names].sort());
    // 9 for the first name + 2 per extra name (authz, challenge; validation is polled on the order), + polls while
    // Pebble validates. The authorizations and challenges go out together, and each waits for a nonce from the
    // others' answers: one newNonce in all, not one per name.
    expect(client.transport.stats.newNonce).toBe(1);
    expect(client.transport.stats.requests).toBeGreaterThanOrEqual(9 + 18);
    expect(client.transport.stats.requests).toBeLessThanOrEqual(9 + 18 + 12);
  });

  it('issues for an IP identifier (RFC 8738)', async () => {
    const { leaf } = await issue({ identifiers: ['127.0.0.1'] });
    expect(leaf.ipAddresses).toEqual(['127.0.0.1']);
    expect(leaf.names).toEqual([]);
  });

  it.each(['rsa2048', 'ec384', 'ec256'] as const)('issues with a %s certificate key', async (keyType) => {
    const { leaf, state } = await issue({ identifiers: [`${keyType}.keys.example.test`], keyType });
    expect(leaf.publicKeyType).toBe(keyType);
    expect(state.certificateKeyPem).toContain('PRIVATE KEY');
  });

  it("takes the caller's CSR, whose names become the order's identifiers, and keeps no key", async () => {
    const key = await generateCertificateKey('ec256');
    const csr = await createCsr({
      identifiers: [
        { type: 'dns', value: 'csr.example.test' },
        { type: 'dns', value: 'www.csr.example.test' },
      ],
      key,
    });
    const { leaf, state } = await issue({ csr: csr.pem });
    expect([...leaf.names].sort()).toEqual(['csr.example.test', 'www.csr.example.test']);
    expect(state.identifiers.map((i) => i.value)).toEqual(['csr.example.test', 'www.csr.example.test']);
    expect(state.certificateKeyPem).toBeUndefined();
  });

  it('refuses a CSR whose names disagree with the identifiers, before any request', async () => {
    const key = await generateCertificateKey('ec256');
    const csr = await createCsr({ identifiers: [{ type: 'dns', value: 'a.example.test' }], key });
    await expect(
      prepareOrder({
        directoryUrl: fixture.pebble.directoryUrl,
        accountUrl: fixture.accountUrl,
        csr: csr.pem,
        identifiers: ['b.example.test'],
      }),
    ).rejects.toMatchObject({ code: 'CERTKEEPER_ERR_INVALID_CSR' });
  });

  it('refuses malformed identifiers before any request, naming each', async () => {
    const error = await rejectionOf(
      prepareOrder({
        directoryUrl: fixture.pebble.directoryUrl,
        accountUrl: fixture.accountUrl,
        identifiers: ['a.*.example.test', 'ok.example.test', 'bad_label-.example.test'],
      }),
    );
    expect(error.code).toBe('CERTKEEPER_ERR_INVALID_IDENTIFIER');
    expect(error.message).toContain('a.*.example.test');
    expect(error.message).toContain('bad_label-.example.test');
    expect(error.message).not.toContain('"ok.example.test"');
  });
});
