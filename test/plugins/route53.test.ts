import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { type Route53Options, route53 } from '@certkeeper/dns-route53';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { type FakeRoute53, startFakeRoute53 } from '@certkeeper/testkit/fakes/route53';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const zone = 'example.test';
const txt = (value: string, name = '_acme-challenge'): DnsRecord => ({ name, type: 'TXT', value, ttl: 60 });

async function caught(promise: Promise<unknown>): Promise<CertkeeperError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!CertkeeperError.isInstance(error)) throw new Error(`expected a CertkeeperError, got ${String(error)}`);
  return error;
}

/** A provider pointed at a fake, polling fast (the fake reaches INSYNC in tens of milliseconds). */
function provider(fake: FakeRoute53, options: Route53Options = {}) {
  return route53({
    endpoint: fake.endpoint,
    credentials: fake.credentials,
    syncPollIntervalMs: 20,
    ...options,
  });
}

let shared: FakeRoute53;
beforeAll(async () => {
  shared = await startFakeRoute53({ changeDelayMs: 30 });
  shared.addHostedZone(zone);
});
afterAll(() => shared?.stop());

describeDnsProviderConformance('route53 (fake Route 53 API)', () => ({
  provider: provider(shared),
  zone,
  withBadCredentials: () =>
    provider(shared, { credentials: { ...shared.credentials, secretAccessKey: 'not-the-secret' } }),
  secondInstance: () => provider(shared),
}));

describe('route53 provider against the fake', () => {
  let fake: FakeRoute53;
  afterEach(() => fake?.stop());

  it('keeps apex and wildcard values in one record set, and deleting one keeps the other', async () => {
    fake = await startFakeRoute53({ changeDelayMs: 10 });
    const hosted = fake.addHostedZone(zone);
    const dns = provider(fake);
    await dns.createRecord(zone, txt('apex-value'));
    await dns.createRecord(zone, txt('wildcard-value'));
    const txtSets = () => fake.recordSets(hosted.id).filter((set) => set.type === 'TXT');
    expect(txtSets()).toEqual([
      {
        name: '_acme-challenge.example.test.',
        type: 'TXT',
        ttl: 60,
        values: ['"apex-value"', '"wildcard-value"'],
      },
    ]);
    expect(await dns.deleteRecord(zone, txt('apex-value'))).toBe(true);
    expect(txtSets()).toEqual([
      { name: '_acme-challenge.example.test.', type: 'TXT', ttl: 60, values: ['"wildcard-value"'] },
    ]);
    // Each write replaced the set with an exact DELETE + CREATE, never an UPSERT built from a stale read.
    expect(fake.count('ChangeResourceRecordSets')).toBe(3);
  });

  it('publishes an order in one change batch per zone (apex + wildcard + three names)', async () => {
    fake = await startFakeRoute53({ changeDelayMs: 10 });
    const hosted = fake.addHostedZone(zone);
    const dns = provider(fake);
    const records = [
      txt('v-apex', '_acme-challenge.shop'),
      txt('v-wild', '_acme-challenge.shop'),
      txt('v-a', '_acme-challenge.a.shop'),
      txt('v-b', '_acme-challenge.b.shop'),
      txt('v-c', '_acme-challenge.c.shop'),
    ];
    await dns.applyChanges(zone, { create: records, delete: [] });
    const publish = {
      lookups: fake.count('ListHostedZonesByName'),
      reads: fake.count('ListResourceRecordSets'),
      writes: fake.count('ChangeResourceRecordSets'),
      polls: fake.count('GetChange'),
    };
    expect(publish).toMatchObject({ lookups: 1, reads: 4, writes: 1 });
    expect(publish.polls).toBeGreaterThanOrEqual(1);
    const values = fake
      .recordSets(hosted.id)
      .find((set) => set.name === '_acme-challenge.shop.example.test.');
    expect(values?.values).toEqual(['"v-apex"', '"v-wild"']);
    fake.resetRequests();
    await dns.applyChanges(zone, { create: [], delete: records });
    expect(fake.count('ChangeResourceRecordSets')).toBe(1);
    expect(fake.count('ListHostedZonesByName')).toBe(0); // the zone id is cached
    expect(fake.recordSets(hosted.id).filter((set) => set.type === 'TXT')).toEqual([]);
    console.log(
      JSON.stringify({ figure: 'route53.publish.apiCalls', names: 5, challengeNames: 4, ...publish }),
    );
  });

  it('two writers at one name (separate processes, no shared lock) lose no value', async () => {
    // Latency makes both writers read the same set before either writes: the second write must fail its exact
    // DELETE (InvalidChangeBatch), re-read and retry instead of overwriting.
    fake = await startFakeRoute53({ changeDelayMs: 5, latencyMs: 15 });
    const hosted = fake.addHostedZone(zone);
    const writers = [provider(fake), provider(fake)];
    const values = Array.from({ length: 6 }, (_, index) => `value-${index}`);
    await Promise.all(values.map((value, index) => writers[index % 2]!.createRecord(zone, txt(value))));
    const set = fake.recordSets(hosted.id).find((candidate) => candidate.type === 'TXT');
    expect([...(set?.values ?? [])].sort()).toEqual(values.map((value) => `"${value}"`).sort());
    const conflicts = fake.requests.filter((request) => request.code === 'InvalidChangeBatch').length;
    expect(conflicts).toBeGreaterThan(0);
    await Promise.all(values.map((value, index) => writers[index % 2]!.deleteRecord(zone, txt(value))));
    expect(fake.recordSets(hosted.id).filter((candidate) => candidate.type === 'TXT')).toEqual([]);
    console.log(
      JSON.stringify({ figure: 'route53.concurrentWriters.conflictsRetried', values: 6, conflicts }),
    );
  });

  it('retries Throttling and PriorRequestNotComplete, then succeeds', async () => {
    fake = await startFakeRoute53({ changeDelayMs: 5 });
    fake.addHostedZone(zone);
    const dns = provider(fake);
    fake.throttle(2, 'Throttling', 'ListResourceRecordSets');
    fake.throttle(1, 'PriorRequestNotComplete', 'ChangeResourceRecordSets');
    await dns.createRecord(zone, txt('after-throttling'));
    expect(fake.requests.filter((request) => request.code === 'Throttling')).toHaveLength(2);
    expect(fake.requests.filter((request) => request.code === 'PriorRequestNotComplete')).toHaveLength(1);
    expect((await dns.listRecords(zone, { name: '_acme-challenge' })).map((record) => record.value)).toEqual([
      'after-throttling',
    ]);
  });

  it('turns throttling that outlasts the retries into a retryable DNS_PROVIDER_FAILED', async () => {
    fake = await startFakeRoute53();
    fake.addHostedZone(zone);
    fake.throttle(10, 'Throttling');
    const error = await caught(provider(fake, { maxAttempts: 2 }).createRecord(zone, txt('x')));
    expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_FAILED);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('Throttling (HTTP 400)');
    expect(error.message).toContain('Rate exceeded');
  });

  it('reports rejected credentials as DNS_PROVIDER_UNAUTHORIZED without the secret', async () => {
    fake = await startFakeRoute53();
    fake.addHostedZone(zone);
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYx';
    const wrongSecret = await caught(
      provider(fake, { credentials: { ...fake.credentials, secretAccessKey: secret } }).createRecord(
        zone,
        txt('x'),
      ),
    );
    expect(wrongSecret.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(wrongSecret.message).toContain('SignatureDoesNotMatch');
    expect(wrongSecret.message).not.toContain(secret);
    expect(JSON.stringify(wrongSecret)).not.toContain(secret);
    const unknownKey = await caught(
      provider(fake, {
        credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: secret },
      }).createRecord(zone, txt('x')),
    );
    expect(unknownKey.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(unknownKey.message).toContain('InvalidClientTokenId');
    expect(unknownKey.message).not.toContain(secret);
  });

  it('works with exactly the README least-privilege policy, and names the missing action otherwise', async () => {
    const leastPrivilege = {
      accessKeyId: 'AKIALEASTPRIVILEGE01',
      secretAccessKey: 'least-privilege-secret',
      policy: {
        actions: [
          'route53:ListHostedZonesByName',
          'route53:ListHostedZones',
          'route53:ListResourceRecordSets',
          'route53:ChangeResourceRecordSets',
          'route53:GetChange',
        ],
        recordNames: ['_acme-challenge.*'],
        recordTypes: ['TXT'],
      },
    };
    const noChange = {
      ...leastPrivilege,
      accessKeyId: 'AKIANOCHANGE00000001',
      policy: {
        ...leastPrivilege.policy,
        actions: leastPrivilege.policy.actions.filter((a) => a !== 'route53:GetChange'),
      },
    };
    fake = await startFakeRoute53({ credentials: [leastPrivilege, noChange], changeDelayMs: 5 });
    const hosted = fake.addHostedZone(zone);
    const allowed = provider(fake, { credentials: leastPrivilege });
    await allowed.createRecord(zone, txt('ok', '_acme-challenge.www'));
    expect(await allowed.listZones()).toEqual([zone]);
    expect(await allowed.deleteRecord(zone, txt('ok', '_acme-challenge.www'))).toBe(true);
    const outsideCondition = await caught(allowed.createRecord(zone, txt('no', 'www')));
    expect(outsideCondition.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(outsideCondition.message).toContain(
      `route53:ChangeResourceRecordSets on resource: arn:aws:route53:::hostedzone/${hosted.id}`,
    );
    const missing = await caught(provider(fake, { credentials: noChange }).createRecord(zone, txt('x')));
    expect(missing.code).toBe(ErrorCodes.DNS_PROVIDER_UNAUTHORIZED);
    expect(missing.message).toContain('route53:GetChange');
  });

  it('with hostedZoneIds configured, needs no permission to list or look up zones', async () => {
    const zoneScoped = {
      accessKeyId: 'AKIAZONESCOPED000001',
      secretAccessKey: 'zone-scoped-secret',
      policy: {
        actions: ['route53:ListResourceRecordSets', 'route53:ChangeResourceRecordSets', 'route53:GetChange'],
        hostedZoneIds: ['Z0ZONESCOPED'],
      },
    };
    fake = await startFakeRoute53({ credentials: [zoneScoped], changeDelayMs: 5 });
    fake.addHostedZone(zone, { id: 'Z0ZONESCOPED' });
    const dns = provider(fake, {
      credentials: zoneScoped,
      hostedZoneIds: { [zone]: '/hostedzone/Z0ZONESCOPED' },
    });
    expect(await dns.listZones()).toEqual([zone]);
    await dns.createRecord(zone, txt('scoped'));
    expect(await dns.deleteRecord(zone, txt('scoped'))).toBe(true);
    expect(fake.requests.filter((request) => request.status !== 200)).toEqual([]);
    expect(fake.count('ListHostedZones') + fake.count('ListHostedZonesByName')).toBe(0);
  });

  it('follows pagination of record sets and hosted zones', async () => {
    fake = await startFakeRoute53({ maxPageSize: 2, changeDelayMs: 5 });
    for (const name of ['a.test', 'b.test', 'c.test', 'd.test']) fake.addHostedZone(name);
    const hosted = fake.addHostedZone(zone);
    const dns = provider(fake);
    const names = ['_acme-challenge.one', '_acme-challenge.two', '_acme-challenge.three', 'other'];
    for (const [index, name] of names.entries()) {
      fake.putRecordSet(hosted.id, {
        name: `${name}.example.test.`,
        type: 'TXT',
        ttl: 300,
        values: [`"v${index}"`],
      });
    }
    fake.resetRequests();
    const listed = await dns.listRecords(zone);
    expect(listed.map((record) => `${record.name}=${record.value}`).sort()).toEqual(
      ['_acme-challenge.one=v0', '_acme-challenge.three=v2', '_acme-challenge.two=v1', 'other=v3'].sort(),
    );
    // 6 sets (SOA, NS and 4 TXT) in pages of 2.
    expect(fake.count('ListResourceRecordSets')).toBe(3);
    expect((await dns.listZones()).sort()).toEqual(['a.test', 'b.test', 'c.test', 'd.test', zone]);
    expect(fake.count('ListHostedZones')).toBe(3);
  });

  it('prefers the public hosted zone over a private one of the same name, across pages', async () => {
    fake = await startFakeRoute53({ maxPageSize: 1, changeDelayMs: 5 });
    // The private zone sorts first (same name, lower id), so taking the first match would write where no CA looks.
    const privateZone = fake.addHostedZone(zone, { private: true, id: 'Z0000000PRIVATE' });
    const publicZone = fake.addHostedZone(zone, { id: 'Z9999999PUBLIC' });
    await provider(fake).createRecord(zone, txt('public-value'));
    expect(fake.recordSets(publicZone.id).some((set) => set.type === 'TXT')).toBe(true);
    expect(fake.recordSets(privateZone.id).some((set) => set.type === 'TXT')).toBe(false);
    expect(fake.count('ListHostedZonesByName')).toBe(2);
  });

  it('uses a private zone when it is the only one, and walks up to the enclosing hosted zone', async () => {
    fake = await startFakeRoute53({ changeDelayMs: 5 });
    const onlyPrivate = fake.addHostedZone('internal.test', { private: true });
    const parent = fake.addHostedZone(zone);
    await provider(fake).createRecord('internal.test', txt('vpc-ca'));
    expect(fake.recordSets(onlyPrivate.id).some((set) => set.type === 'TXT')).toBe(true);
    // "dev.example.test" is not a hosted zone: its names live in example.test's zone.
    await provider(fake).createRecord('dev.example.test', txt('nested'));
    expect(fake.recordSets(parent.id).find((set) => set.type === 'TXT')?.name).toBe(
      '_acme-challenge.dev.example.test.',
    );
  });

  it('waits for INSYNC, but not past syncTimeoutMs', async () => {
    fake = await startFakeRoute53({ changeDelayMs: 150 });
    fake.addHostedZone(zone);
    let started = Date.now();
    await provider(fake).createRecord(zone, txt('synced'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(fake.count('GetChange')).toBeGreaterThanOrEqual(2);
    await fake.stop();
    fake = await startFakeRoute53({ changeDelayMs: 60_000 });
    fake.addHostedZone(zone);
    started = Date.now();
    await provider(fake, { syncTimeoutMs: 200 }).createRecord(zone, txt('slow'));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("keeps other writers' values byte for byte (split strings, escapes)", async () => {
    fake = await startFakeRoute53({ changeDelayMs: 5 });
    const hosted = fake.addHostedZone(zone);
    const foreign = ['"v=spf1 " "include:_spf.example.test ~all"', '"quote\\"d\\040x"'];
    fake.putRecordSet(hosted.id, {
      name: '_acme-challenge.example.test.',
      type: 'TXT',
      ttl: 3600,
      values: foreign,
    });
    const dns = provider(fake);
    const created = await dns.createRecord(zone, txt('ours'));
    expect(created.ttl).toBe(3600); // the set's TTL belongs to the other values too
    expect((await dns.listRecords(zone, { name: '_acme-challenge' })).map((record) => record.value)).toEqual([
      'v=spf1 include:_spf.example.test ~all',
      'quote"d x',
      'ours',
    ]);
    await dns.deleteRecord(zone, txt('ours'));
    expect(fake.recordSets(hosted.id).find((set) => set.type === 'TXT')?.values).toEqual(foreign);
  });
});
