import { randomBytes } from 'node:crypto';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { rfc2136, rfc2136Plugin } from '@certkeeper/dns-rfc2136';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BindPrimary, freeDnsPort, newKey, startBindPrimary } from './support/bind-primary.js';

const zone = 'rfc2136.test';
const keys = {
  sha256: newKey('ck-sha256', 'hmac-sha256'),
  sha512: newKey('ck-sha512', 'hmac-sha512', 64),
  sha1: newKey('ck-sha1', 'hmac-sha1', 20),
  narrow: newKey('ck-narrow', 'hmac-sha256'),
};

let bind: BindPrimary;
beforeAll(async () => {
  bind = await startBindPrimary(
    [
      {
        name: zone,
        updatePolicy: [
          'grant ck-sha256 zonesub TXT;',
          'grant ck-sha512 zonesub TXT;',
          'grant ck-sha1 zonesub TXT;',
          // Least privilege: one key, one name, TXT only (README "Least privilege").
          `grant ck-narrow name _acme-challenge.narrow.${zone}. TXT;`,
        ],
        allowTransfer: 'key ck-sha256;',
      },
    ],
    Object.values(keys),
  );
});
afterAll(async () => {
  await bind?.stop();
});

type Key = (typeof keys)[keyof typeof keys];
const provider = (key: Key, extra: Partial<Parameters<typeof rfc2136>[0]> = {}) =>
  rfc2136({
    server: bind.address,
    tsig: { name: key.name, algorithm: key.algorithm as 'hmac-sha256', secret: key.secret },
    ...extra,
  });
const txt = (name: string, value = randomBytes(32).toString('base64url'), ttl = 60): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  ttl,
});
const otherSecret = () => randomBytes(32).toString('base64');

for (const protocol of ['udp', 'tcp'] as const) {
  describeDnsProviderConformance(
    `rfc2136 against BIND 9, hmac-sha256 over ${protocol.toUpperCase()}`,
    () => ({
      provider: provider(keys.sha256, { protocol }),
      zone,
      withBadCredentials: () => provider({ ...keys.sha256, secret: otherSecret() }, { protocol }),
      secondInstance: () => provider(keys.sha256, { protocol }),
    }),
  );
}

describe('rfc2136 against BIND 9', () => {
  it.each([
    ['hmac-sha512', keys.sha512],
    ['hmac-sha1', keys.sha1],
  ])('signs with %s and verifies the server’s signed answers', async (_algorithm, key) => {
    const dns = provider(key);
    const record = txt(`_acme-challenge.${key.name}`);
    await dns.createRecord(zone, record);
    expect(await dns.listRecords(zone, { name: record.name })).toEqual([record]);
    expect(await dns.deleteRecord(zone, record)).toBe(true);
    expect(await dns.listRecords(zone, { name: record.name })).toEqual([]);
  });

  it('names the key, not the secret, when the server does not know the key (BADKEY)', async () => {
    const secret = otherSecret();
    const error = await provider({ name: 'ck-unknown', algorithm: 'hmac-sha256', secret })
      .createRecord(zone, txt('_acme-challenge.badkey'))
      .catch((caught: unknown) => caught);
    expect(CertkeeperError.isInstance(error)).toBe(true);
    const typed = error as CertkeeperError;
    expect(typed.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(typed.message).toContain('"ck-unknown"');
    expect(typed.message).toContain('BADKEY');
    expect(typed.message).toContain(bind.address);
    expect(typed.message).not.toContain(secret);
  });

  it('says BADSIG when the secret is wrong, without echoing either secret', async () => {
    const secret = otherSecret();
    const error = (await provider({ ...keys.sha256, secret })
      .listRecords(zone, { name: '_acme-challenge.badsig' })
      .catch((caught: unknown) => caught)) as CertkeeperError;
    expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(error.message).toMatch(/"ck-sha256".*BADSIG/);
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain(keys.sha256.secret);
  });

  it('says BADKEY when the algorithm differs from the server’s key of that name', async () => {
    const error = (await provider({ ...keys.sha256, algorithm: 'hmac-sha512' })
      .createRecord(zone, txt('_acme-challenge.badalg'))
      .catch((caught: unknown) => caught)) as CertkeeperError;
    expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(error.message).toContain('BADKEY');
  });

  it('a least-privilege key edits its one name and is refused elsewhere with a typed error', async () => {
    const dns = provider(keys.narrow);
    const allowed = txt('_acme-challenge.narrow');
    await dns.createRecord(zone, allowed);
    expect(await dns.deleteRecord(zone, allowed)).toBe(true);
    const error = (await dns
      .createRecord(zone, txt('_acme-challenge.elsewhere'))
      .catch((caught: unknown) => caught)) as CertkeeperError;
    expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(error.message).toContain('REFUSED');
    expect(error.message).toContain('update-policy');
  });

  it('lists the whole zone by AXFR when the key may transfer it, and explains when it may not', async () => {
    const record = txt('_acme-challenge.axfr');
    await provider(keys.sha256).createRecord(zone, record);
    try {
      const all = await provider(keys.sha256).listRecords(zone);
      expect(all).toContainEqual(record);
      expect(all.every((found) => found.type === 'TXT')).toBe(true);
      const error = (await provider(keys.sha512)
        .listRecords(zone)
        .catch((caught: unknown) => caught)) as CertkeeperError;
      expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
      expect(error.message).toContain('allow-transfer');
    } finally {
      await provider(keys.sha256).deleteRecord(zone, record);
    }
  });

  it('asks again over TCP when the UDP answer is truncated (more values than 512 octets hold)', async () => {
    const dns = provider(keys.sha256);
    const name = '_acme-challenge.many';
    const records = Array.from({ length: 20 }, () => txt(name));
    await Promise.all(records.map((record) => dns.createRecord(zone, record)));
    try {
      const listed = await dns.listRecords(zone, { name });
      expect(listed.map((record) => record.value).sort()).toEqual(
        records.map((record) => record.value).sort(),
      );
    } finally {
      await Promise.all(records.map((record) => dns.deleteRecord(zone, record)));
    }
  });

  it('fails with a retryable typed error naming the server when nothing listens', async () => {
    const port = await freeDnsPort();
    const started = performance.now();
    const error = (await rfc2136({
      server: `127.0.0.1:${port}`,
      tsig: { name: keys.sha256.name, secret: keys.sha256.secret },
      timeoutMs: 200,
      retry: { attempts: 2, baseDelayMs: 10 },
    })
      .createRecord(zone, txt('_acme-challenge.nobody'))
      .catch((caught: unknown) => caught)) as CertkeeperError;
    expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_FAILED);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('loads through its plugin descriptor from flat configuration', async () => {
    const dns = await rfc2136Plugin.create({
      server: bind.address,
      keyName: keys.sha512.name,
      keyAlgorithm: 'hmac-sha512',
      keySecret: keys.sha512.secret,
      protocol: 'tcp',
    });
    const record = txt('_acme-challenge.plugin');
    expect(await dns.createRecord(zone, record)).toEqual(record);
    expect(await dns.deleteRecord(zone, record)).toBe(true);
  });

  it('measures one create + delete round trip over UDP and TCP (figures for the README)', async () => {
    const figures: Record<string, number> = {};
    for (const protocol of ['udp', 'tcp'] as const) {
      const dns = provider(keys.sha256, { protocol });
      const samples: number[] = [];
      for (let i = 0; i < 20; i++) {
        const record = txt('_acme-challenge.timing');
        const started = performance.now();
        await dns.createRecord(zone, record);
        await dns.deleteRecord(zone, record);
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      figures[`${protocol}_median_ms`] = Math.round(samples[10]! * 10) / 10;
    }
    console.log(JSON.stringify({ figure: 'rfc2136 create+delete against BIND 9', ...figures }));
    expect(figures.udp_median_ms).toBeGreaterThan(0);
  });
});
