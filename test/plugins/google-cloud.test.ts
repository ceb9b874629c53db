import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, SecretRedactor } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import {
  type GoogleCloudDnsProviderOptions,
  googleCloudDns,
  googleCloudDnsPlugin,
} from '@certkeeper/dns-google-cloud';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { type FakeGoogleCloudDns, startFakeGoogleCloudDns } from '@certkeeper/testkit/fakes/google-cloud-dns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certkeeperRejection } from '../support/rejection.js';

const zone = 'example.test';
const txt = (value: string, name = '_acme-challenge', ttl = 60): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  ttl,
});

const provider = (fake: FakeGoogleCloudDns, options: GoogleCloudDnsProviderOptions = {}) =>
  googleCloudDns({
    serviceAccountKey: fake.serviceAccountKey,
    baseUrl: fake.baseUrl,
    changePollMs: 20,
    redactor: new SecretRedactor(),
    ...options,
  });

let shared: FakeGoogleCloudDns;
let stranger: string;
beforeAll(async () => {
  // Pages of 2 and changes pending for 40 ms: every listing crosses pages and every write polls its change.
  shared = await startFakeGoogleCloudDns({ maxPerPage: 2, changeDelayMs: 40, latencyMs: 2 });
  shared.addZone('example-test-private', zone, 'private');
  shared.addZone('example-test', zone);
  // A key whose private key is not the one Google holds for the account: the token endpoint refuses its signature.
  const other = await startFakeGoogleCloudDns();
  const foreign = JSON.parse(other.addServiceAccount('x').keyJson).private_key as string;
  await other.stop();
  stranger = shared.addServiceAccount('stranger', { privateKeyPem: foreign }).keyJson;
});
afterAll(() => shared?.stop());

describeDnsProviderConformance(
  'google-cloud (fake Cloud DNS and OAuth, pages of 2, pending changes)',
  () => ({
    provider: provider(shared),
    zone,
    withBadCredentials: () => provider(shared, { serviceAccountKey: stranger }),
    secondInstance: () => provider(shared),
  }),
);

describe('google-cloud provider against the fake', () => {
  let fake: FakeGoogleCloudDns;
  afterEach(() => fake?.stop());

  it('keeps a name’s values in one quoted record set, replaced with exact deletions, and waits for done', async () => {
    fake = await startFakeGoogleCloudDns({ changeDelayMs: 60 });
    fake.addZone('example-test', zone);
    const dns = provider(fake);
    await dns.createRecord(zone, txt('first'));
    await dns.createRecord(zone, txt('second "quoted"'));
    const set = fake.rrsets('example-test').find((rrset) => rrset.type === 'TXT');
    expect(set).toMatchObject({
      name: '_acme-challenge.example.test.',
      ttl: 60,
      rrdatas: ['"first"', '"second \\"quoted\\""'],
    });
    expect(fake.count('changes.get')).toBeGreaterThanOrEqual(2);
    expect((await dns.listRecords(zone, { name: '_acme-challenge' })).map((record) => record.value)).toEqual([
      'first',
      'second "quoted"',
    ]);
    expect(await dns.deleteRecord(zone, txt('first'))).toBe(true);
    expect(fake.rrsets('example-test').find((rrset) => rrset.type === 'TXT')?.rrdatas).toEqual([
      '"second \\"quoted\\""',
    ]);
    expect(await dns.deleteRecord(zone, txt('second "quoted"'))).toBe(true);
    expect(fake.rrsets('example-test').filter((rrset) => rrset.type === 'TXT')).toEqual([]);
    expect(await dns.deleteRecord(zone, txt('second "quoted"'))).toBe(false);
  });

  it('redoes a change another writer made stale (412 conditionNotMet, 409 alreadyExists) instead of losing a value', async () => {
    fake = await startFakeGoogleCloudDns({ latencyMs: 15, changeDelayMs: 0 });
    fake.addZone('example-test', zone);
    const one = provider(fake);
    const two = provider(fake);
    await Promise.all([
      ...['a', 'b', 'c'].map((value) => one.createRecord(zone, txt(value))),
      ...['d', 'e', 'f'].map((value) => two.createRecord(zone, txt(value))),
    ]);
    const set = fake.rrsets('example-test').find((rrset) => rrset.type === 'TXT');
    expect([...set!.rrdatas].sort()).toEqual(['"a"', '"b"', '"c"', '"d"', '"e"', '"f"']);
    expect(fake.requests.some((request) => request.status === 412 || request.status === 409)).toBe(true);
  });

  it('writes one order’s values at several names in one change, keeping values it was not given', async () => {
    fake = await startFakeGoogleCloudDns();
    fake.addZone('example-test', zone);
    const dns = provider(fake);
    await dns.createRecord(zone, txt('someone-else'));
    fake.resetRequests();
    await dns.applyChanges(zone, {
      create: [txt('apex'), txt('wildcard'), txt('www', '_acme-challenge.www')],
      delete: [],
    });
    expect(fake.count('changes.create')).toBe(1);
    const values = (name: string) =>
      fake.rrsets('example-test').find((set) => set.type === 'TXT' && set.name === name)?.rrdatas ?? [];
    expect(values('_acme-challenge.example.test.')).toEqual(['"someone-else"', '"apex"', '"wildcard"']);
    expect(values('_acme-challenge.www.example.test.')).toEqual(['"www"']);
    await dns.applyChanges(zone, { create: [txt('apex')], delete: [] }); // already there: nothing written
    expect(fake.count('changes.create')).toBe(1);
    await dns.applyChanges(zone, {
      create: [],
      delete: [txt('apex'), txt('wildcard'), txt('www', '_acme-challenge.www'), txt('never-there')],
    });
    expect(fake.count('changes.create')).toBe(2);
    expect(values('_acme-challenge.example.test.')).toEqual(['"someone-else"']);
    expect(values('_acme-challenge.www.example.test.')).toEqual([]);
  });

  it('finds the public zone by DNS name across pages, and refuses two public zones for one name', async () => {
    fake = await startFakeGoogleCloudDns({ maxPerPage: 1 });
    fake.addZone('a', 'a.test');
    fake.addZone('inside', zone, 'private');
    fake.addZone('outside', zone);
    const dns = provider(fake);
    await dns.createRecord(zone, txt('v'));
    expect(fake.rrsets('outside').some((set) => set.type === 'TXT')).toBe(true);
    expect(fake.rrsets('inside').some((set) => set.type === 'TXT')).toBe(false);
    expect((await dns.listZones()).sort()).toEqual(['a.test', zone]);
    expect((await certkeeperRejection(dns.createRecord('absent.test', txt('x')))).code).toBe(
      ErrorCodes.DNS_ZONE_NOT_FOUND,
    );
    fake.addZone('outside-2', 'twice.test');
    fake.addZone('outside-3', 'twice.test');
    const twice = await certkeeperRejection(provider(fake).createRecord('twice.test', txt('x')));
    expect([twice.code, twice.hint?.includes('managedZone')]).toEqual([ErrorCodes.INVALID_OPTION, true]);
    await provider(fake, { managedZone: 'outside-3' }).createRecord('twice.test', txt('x'));
    expect(fake.rrsets('outside-3').some((set) => set.type === 'TXT')).toBe(true);
  });

  it('signs one token for many calls, fetches another after a 401, and never shows the key', async () => {
    fake = await startFakeGoogleCloudDns();
    fake.addZone('example-test', zone);
    const redactor = new SecretRedactor();
    const dns = provider(fake, { redactor });
    await dns.createRecord(zone, txt('a'));
    await dns.createRecord(zone, txt('b'));
    expect(fake.count('oauth.token')).toBe(1);
    fake.revokeTokens();
    await dns.deleteRecord(zone, txt('a'));
    expect(fake.count('oauth.token')).toBe(2);
    const key = JSON.parse(fake.serviceAccountKey).private_key as string;
    expect(redactor.redact(`leak ${key}`)).not.toContain(key.split('\n')[1]);
    const bad = await certkeeperRejection(provider(fake, { serviceAccountKey: stranger }).listZones());
    expect([bad.code, bad.message.includes('Invalid JWT Signature')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    const readOnly = fake.addServiceAccount('reader', { readOnly: true }).keyJson;
    const refused = await certkeeperRejection(
      provider(fake, { serviceAccountKey: readOnly }).createRecord(zone, txt('c')),
    );
    expect([refused.code, refused.message.includes('forbidden')]).toEqual([
      ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
      true,
    ]);
    expect(`${refused.message} ${refused.hint}`).not.toContain('PRIVATE KEY');
  });

  it('uses application default credentials: a key file named by GOOGLE_APPLICATION_CREDENTIALS, then the metadata server', async () => {
    fake = await startFakeGoogleCloudDns();
    fake.addZone('example-test', zone);
    const dir = await mkdtemp(join(tmpdir(), 'ckt-gcloud-'));
    const saved = { ...process.env };
    try {
      const userFile = join(dir, 'adc.json');
      await writeFile(userFile, fake.addAuthorizedUser());
      process.env.GOOGLE_APPLICATION_CREDENTIALS = userFile;
      process.env.GOOGLE_CLOUD_PROJECT = fake.project;
      await provider(fake, { serviceAccountKey: undefined }).createRecord(zone, txt('from-user'));
      expect(fake.count('oauth.token')).toBe(1);
      delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      process.env.CLOUDSDK_CONFIG = dir; // no application_default_credentials.json there
      await provider(fake, { serviceAccountKey: undefined, metadataHost: fake.metadataHost }).createRecord(
        zone,
        txt('from-metadata'),
      );
      expect([fake.count('metadata.token'), fake.count('oauth.token')]).toEqual([1, 1]);
      const none = await certkeeperRejection(
        provider(fake, {
          serviceAccountKey: undefined,
          metadataHost: '127.0.0.1:9',
          timeoutMs: 2000,
        }).listZones(),
      );
      expect([none.code, none.hint?.includes('serviceAccountKey')]).toEqual([
        ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
        true,
      ]);
    } finally {
      process.env = saved;
    }
  });

  it('waits out a short Retry-After, hands a long one to the caller, and retries a change after a 503', async () => {
    fake = await startFakeGoogleCloudDns();
    fake.addZone('example-test', zone);
    const dns = provider(fake);
    await dns.listZones();
    fake.rateLimit({ retryAfterSeconds: 1, operation: 'rrsets.list' });
    await dns.createRecord(zone, txt('after-429'));
    fake.rateLimit({ retryAfterSeconds: 600 });
    const started = Date.now();
    const limited = await certkeeperRejection(dns.createRecord(zone, txt('later')));
    expect([limited.code, limited.retryable, Date.now() - started < 2000]).toEqual([
      ErrorCodes.DNS_PROVIDER_FAILED,
      true,
      true,
    ]);
    expect(limited.retryAfter!.getTime() - started).toBeGreaterThan(500_000);
    fake.injectError({ status: 503, operation: 'changes.create' });
    await dns.createRecord(zone, txt('after-503'));
    expect(fake.rrsets('example-test').find((set) => set.type === 'TXT')?.rrdatas).toEqual([
      '"after-429"',
      '"after-503"',
    ]);
  });

  it('the descriptor checks its configuration and builds a provider without touching the network', async () => {
    const created = await googleCloudDnsPlugin.create({ project: 'p', baseUrl: 'http://127.0.0.1:9/dns/v1' });
    expect(typeof created.createRecord).toBe('function');
    await expect(async () => googleCloudDnsPlugin.create({ pageSize: 'all' } as never)).rejects.toThrow(
      /"pageSize" must be a whole number/,
    );
    const notJson = await certkeeperRejection(
      googleCloudDns({
        serviceAccountKey: '{"type":"service_account"',
        project: 'p',
        baseUrl: 'http://127.0.0.1:9',
      }).listZones(),
    );
    expect([notJson.code, notJson.message.includes('is not JSON')]).toEqual([
      ErrorCodes.INVALID_OPTION,
      true,
    ]);
  });
});
