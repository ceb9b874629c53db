// The RFC 2136 plugin against a second, independent TSIG and UPDATE implementation: PowerDNS Authoritative with
// dnsupdate=yes. Keys and per-zone permission are set through the API, as the PowerDNS docs describe.
import { randomBytes } from 'node:crypto';
import { type CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { rfc2136 } from '@certkeeper/dns-rfc2136';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PdnsServer, startPdnsServer } from './support/pdns-server.js';

const zone = 'rfc2136-pdns.test';
const keys = {
  sha256: {
    name: 'ck-pdns-256',
    algorithm: 'hmac-sha256' as const,
    secret: randomBytes(32).toString('base64'),
  },
  sha512: {
    name: 'ck-pdns-512',
    algorithm: 'hmac-sha512' as const,
    secret: randomBytes(64).toString('base64'),
  },
};
let pdns: PdnsServer;
beforeAll(async () => {
  pdns = await startPdnsServer(['dnsupdate=yes', 'allow-dnsupdate-from=127.0.0.0/8']);
  await pdns.createZone(zone);
  for (const key of Object.values(keys)) {
    const created = await pdns.api('tsigkeys', {
      method: 'POST',
      body: JSON.stringify({ name: key.name, algorithm: key.algorithm, key: key.secret }),
    });
    if (!created.ok)
      throw new Error(`creating TSIG key ${key.name}: HTTP ${created.status} ${await created.text()}`);
  }
  const allowed = await pdns.api(`zones/${zone}./metadata/TSIG-ALLOW-DNSUPDATE`, {
    method: 'PUT',
    body: JSON.stringify({
      type: 'Metadata',
      kind: 'TSIG-ALLOW-DNSUPDATE',
      metadata: Object.values(keys).map((key) => key.name),
    }),
  });
  if (!allowed.ok)
    throw new Error(`setting TSIG-ALLOW-DNSUPDATE: HTTP ${allowed.status} ${await allowed.text()}`);
});
afterAll(async () => {
  await pdns?.stop();
});

const provider = (key: (typeof keys)[keyof typeof keys], protocol: 'udp' | 'tcp' = 'udp') =>
  rfc2136({ server: pdns.dnsAddress, tsig: key, protocol });

describeDnsProviderConformance('rfc2136 against PowerDNS (dnsupdate=yes), hmac-sha256', () => ({
  provider: provider(keys.sha256),
  zone,
  withBadCredentials: () => provider({ ...keys.sha256, secret: randomBytes(32).toString('base64') }),
  secondInstance: () => provider(keys.sha256),
}));

describe('rfc2136 against PowerDNS', () => {
  it('signs with hmac-sha512 over TCP and reads back', async () => {
    const dns = provider(keys.sha512, 'tcp');
    const record: DnsRecord = {
      name: '_acme-challenge.sha512',
      type: 'TXT',
      value: randomBytes(32).toString('base64url'),
      ttl: 60,
    };
    await dns.createRecord(zone, record);
    expect(await dns.listRecords(zone, { name: record.name })).toEqual([record]);
    expect(await dns.deleteRecord(zone, record)).toBe(true);
  });

  it('a key PowerDNS does not know is DNS_PROVIDER_UNAUTHORIZED naming the key', async () => {
    const error = (await provider({ ...keys.sha256, name: 'ck-unknown' })
      .createRecord(zone, { name: '_acme-challenge.x', type: 'TXT', value: 'v', ttl: 60 })
      .catch((caught: unknown) => caught)) as CertkeeperError;
    expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(error.message).toContain('"ck-unknown"');
  });
});
