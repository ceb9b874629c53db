import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeCloudflare, startFakeCloudflare } from '@certkeeper/testkit/fakes/cloudflare';
import Cloudflare from 'cloudflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The fake is only worth something if the official SDK cannot tell it from the API. These tests hold it against
// documented examples (packages/testkit/src/fakes/cloudflare/fixtures, sources in its README).
const fixtures = new URL('../../packages/testkit/src/fakes/cloudflare/fixtures/', import.meta.url);
const fixture = async (name: string) =>
  JSON.parse(await readFile(new URL(name, fixtures), 'utf8')) as Record<string, unknown>;

/** Field names and JSON types, recursively (arrays by their first element; null counts as any type). */
function fields(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [fields(value[0])] : [];
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, fields(inner)]),
    );
  return value === null ? 'null' : typeof value;
}

/** Keys of `documented` missing or typed differently in `actual` (null in either stands for any type). */
function missingOrDifferent(documented: unknown, actual: unknown, path = ''): string[] {
  if (documented === 'null' || actual === 'null') return [];
  if (typeof documented !== 'object' || documented === null)
    return documented === actual ? [] : [`${path}: ${String(documented)} vs ${String(actual)}`];
  if (Array.isArray(documented))
    return Array.isArray(actual) && documented.length > 0 && actual.length > 0
      ? missingOrDifferent(documented[0], actual[0], `${path}[]`)
      : [];
  if (typeof actual !== 'object' || actual === null) return [`${path}: object vs ${String(actual)}`];
  return Object.entries(documented).flatMap(([key, inner]) =>
    key in actual
      ? missingOrDifferent(inner, (actual as Record<string, unknown>)[key], `${path}.${key}`)
      : [`${path}.${key} missing`],
  );
}

async function documentedApi(
  routes: Record<string, { status?: number; body: unknown; headers?: Record<string, string> }>,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace('/client/v4', '');
    const route = routes[`${req.method} ${path}`];
    res.writeHead(route?.status ?? (route ? 200 : 404), {
      'content-type': 'application/json',
      ...route?.headers,
    });
    res.end(JSON.stringify(route?.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`, server };
}

const sdk = (baseURL: string, apiToken = 'documented-token') =>
  new Cloudflare({ apiToken, baseURL, maxRetries: 0 });

async function failure(
  promise: Promise<unknown>,
): Promise<{ status: number; errors: { code: number; message: string }[] }> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: { status: number; errors: { code: number; message: string }[] }) => error,
  );
}

const DOC_ZONE = '023e105f4ecef8ad9ca31a8372d0c353';
let fake: FakeCloudflare;
let documented: { url: string; server: Server };
let zoneId: string;
beforeAll(async () => {
  fake = await startFakeCloudflare();
  zoneId = fake.addZone('example.com').id;
  documented = await documentedApi({
    'GET /zones': { body: await fixture('zones-list.response.json') },
    [`GET /zones/${DOC_ZONE}/dns_records`]: { body: await fixture('dns-records-list.response.json') },
    [`POST /zones/${DOC_ZONE}/dns_records`]: { body: await fixture('dns-records-create.response.json') },
    [`DELETE /zones/${DOC_ZONE}/dns_records/${DOC_ZONE}`]: {
      body: await fixture('dns-records-delete.response.json'),
    },
    'GET /zones/00000000000000000000000000000000/dns_records': {
      status: 403,
      body: await fixture('error-authentication.response.json'),
    },
    'GET /zones/11111111111111111111111111111111/dns_records': {
      status: 429,
      body: await fixture('error-rate-limited.response.json'),
      headers: { 'retry-after': '30' },
    },
    'POST /zones/11111111111111111111111111111111/dns_records': {
      status: 400,
      body: await fixture('error-identical-record.response.json'),
    },
    'DELETE /zones/11111111111111111111111111111111/dns_records/645577699': {
      status: 400,
      body: await fixture('error-no-route.response.json'),
    },
  });
});
afterAll(async () => {
  await fake?.stop();
  documented?.server.close();
});

describe('fake Cloudflare against documented responses: the SDK reads the same fields from both', () => {
  it('zones.list by name, with result_info', async () => {
    const expected = await sdk(documented.url).zones.list({ name: 'example.com' });
    const actual = await sdk(fake.baseUrl, fake.token).zones.list({ name: 'example.com' });
    expect(missingOrDifferent(fields(expected.result), fields(actual.result))).toEqual([]);
    expect(Object.keys(actual.result_info).sort()).toEqual(Object.keys(expected.result_info).sort());
    expect(actual.result.map((zone) => [zone.name, zone.status])).toEqual([['example.com', 'active']]);
  });

  it('dns.records.create, list and delete', async () => {
    const body = (await fixture('dns-records-create.request.json')) as unknown as Omit<
      Parameters<Cloudflare['dns']['records']['create']>[0],
      'zone_id'
    >;
    const expected = await sdk(documented.url).dns.records.create({
      ...body,
      zone_id: DOC_ZONE,
    } as Parameters<Cloudflare['dns']['records']['create']>[0]);
    const actual = await sdk(fake.baseUrl, fake.token).dns.records.create({
      ...body,
      zone_id: zoneId,
    } as Parameters<Cloudflare['dns']['records']['create']>[0]);
    expect(missingOrDifferent(fields(expected), fields(actual))).toEqual([]);
    expect([actual.name, actual.type, actual.content, actual.ttl]).toEqual([
      expected.name,
      expected.type,
      expected.content,
      expected.ttl,
    ]);
    const expectedList = await sdk(documented.url).dns.records.list({ zone_id: DOC_ZONE, type: 'TXT' });
    const actualList = await sdk(fake.baseUrl, fake.token).dns.records.list({ zone_id: zoneId, type: 'TXT' });
    expect(missingOrDifferent(fields(expectedList.result), fields(actualList.result))).toEqual([]);
    expect(Object.keys(actualList.result_info).sort()).toEqual(Object.keys(expectedList.result_info).sort());
    const expectedDelete = await sdk(documented.url).dns.records.delete(DOC_ZONE, { zone_id: DOC_ZONE });
    const actualDelete = await sdk(fake.baseUrl, fake.token).dns.records.delete(actual.id, {
      zone_id: zoneId,
    });
    expect(fields(actualDelete)).toEqual(fields(expectedDelete));
    expect(fake.records(zoneId)).toEqual([]);
  });

  it('errors: authentication, rate limit, identical record, unknown identifier', async () => {
    const docs = sdk(documented.url);
    const live = sdk(fake.baseUrl, fake.token);
    await live.dns.records.create({
      zone_id: zoneId,
      type: 'TXT',
      name: 'dup.example.com',
      content: '"d"',
      ttl: 60,
    });
    const cases: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
      [
        'authentication',
        () => docs.dns.records.list({ zone_id: '00000000000000000000000000000000' }),
        () => sdk(fake.baseUrl, 'wrong-token').dns.records.list({ zone_id: zoneId }),
      ],
      [
        'rate limit',
        () => docs.dns.records.list({ zone_id: '11111111111111111111111111111111' }),
        () => {
          fake.rateLimit(1, 30);
          return live.dns.records.list({ zone_id: zoneId });
        },
      ],
      [
        'identical record',
        () =>
          docs.dns.records.create({
            zone_id: '11111111111111111111111111111111',
            type: 'TXT',
            name: 'x',
            content: '"d"',
            ttl: 60,
          }),
        () =>
          live.dns.records.create({
            zone_id: zoneId,
            type: 'TXT',
            name: 'dup.example.com',
            content: '"d"',
            ttl: 60,
          }),
      ],
      [
        'unknown identifier',
        () => docs.dns.records.delete('645577699', { zone_id: '11111111111111111111111111111111' }),
        () => live.dns.records.delete('645577699', { zone_id: zoneId }),
      ],
    ];
    // The documented 7003 message names the path with or without the /client/v4 prefix, depending on the client.
    const general = (message: string | undefined) => message?.replace(/(\/client\/v4)?\/zones\/\S*/, '…');
    for (const [what, documentedCall, fakeCall] of cases) {
      const expected = await failure(documentedCall());
      const actual = await failure(fakeCall());
      expect([what, actual.status, actual.errors.map((error) => error.code)]).toEqual([
        what,
        expected.status,
        expected.errors.map((error) => error.code),
      ]);
      expect(general(actual.errors[0]?.message)).toBe(general(expected.errors[0]?.message));
    }
  });
});

describe('fake Cloudflare accepts what the documentation and the SDK send', () => {
  it('takes the documented create body as raw JSON with a Bearer token', async () => {
    const response = await fetch(`${fake.baseUrl}/zones/${zoneId}/dns_records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(await fixture('dns-records-create.request.json')),
    });
    const body = (await response.json()) as {
      success: boolean;
      result: { content: string; comment: string };
    };
    expect(response.status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.result).toMatchObject({
      content: '"gfj9Xq...Rg85nM"',
      comment: 'Domain verification record',
    });
  });

  it("applies the SDK's name.exact filter and page/per_page, and refuses per_page outside the documented range", async () => {
    const live = sdk(fake.baseUrl, fake.token);
    for (const name of ['f1', 'f2', 'f3'])
      await live.dns.records.create({
        zone_id: zoneId,
        type: 'TXT',
        name: `${name}.example.com`,
        content: `"${name}"`,
        ttl: 60,
      });
    const exact = await live.dns.records.list({ zone_id: zoneId, name: { exact: 'f2.example.com' } });
    expect(exact.result.map((record) => record.name)).toEqual(['f2.example.com']);
    const second = await live.dns.records.list({
      zone_id: zoneId,
      name: { startswith: 'f' },
      per_page: 5,
      page: 1,
    });
    expect((second.result_info as { total_pages?: number }).total_pages).toBe(1);
    expect((await failure(live.zones.list({ per_page: 100 }))).status).toBe(400);
  });

  it('reads unquoted content back quoted, and returns it as sent from the create call', async () => {
    const live = sdk(fake.baseUrl, fake.token);
    const created = await live.dns.records.create({
      zone_id: zoneId,
      type: 'TXT',
      name: 'legacy.example.com',
      content: 'unquoted value',
      ttl: 60,
    });
    expect(created.content).toBe('unquoted value');
    const read = await live.dns.records.get(created.id, { zone_id: zoneId });
    expect(read.content).toBe('"unquoted value"');
  });
});
