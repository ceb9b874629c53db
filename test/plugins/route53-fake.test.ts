import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ChangeResourceRecordSetsCommand,
  type ChangeResourceRecordSetsCommandInput,
  GetChangeCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type Route53ClientConfig,
} from '@aws-sdk/client-route-53';
import { type FakeRoute53, startFakeRoute53 } from '@certkeeper/testkit/fakes/route53';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// The fake is only worth something if the real SDK cannot tell it from the service. These tests hold it against
// documented wire examples (packages/testkit/src/fakes/route53/fixtures, sources in its README).
const fixtures = new URL('../../packages/testkit/src/fakes/route53/fixtures/', import.meta.url);
const fixture = (name: string) => readFile(new URL(name, fixtures), 'utf8');

/** Types of every field, recursively (arrays by their first element), so two parses can be compared. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return [shape(value[0])];
  if (value instanceof Date) return 'Date';
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== '$metadata')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, shape(inner)]),
    );
  }
  return typeof value;
}

/** Serves fixed documents by path, as the service would answer the documented example requests. */
async function documentedService(
  routes: Record<string, { status?: number; body: string }>,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes[`${req.method} ${path}`] ?? routes[path];
    res.writeHead(route?.status ?? (route ? 200 : 404), {
      'content-type': 'text/xml',
      date: new Date().toUTCString(),
    });
    res.end(route?.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** `path=text` for every text node of an XML document, sorted; entities decoded. */
function leaves(xml: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const [, close, tag, text] of xml
    .replace(/<\?xml[^>]*\?>/, '')
    .matchAll(/<(\/?)([A-Za-z]+)[^>]*>|([^<]+)/g)) {
    if (tag && close) stack.pop();
    else if (tag) stack.push(tag);
    else if (text?.trim())
      out.push(`${stack.join('/')}=${text.trim().replaceAll('&quot;', '"').replaceAll('&amp;', '&')}`);
  }
  return out.sort();
}

function client(
  endpoint: string,
  extra: Partial<Route53ClientConfig> = {},
  fake?: FakeRoute53,
): Route53Client {
  return new Route53Client({
    region: 'us-east-1',
    endpoint,
    credentials: fake?.credentials ?? { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
    maxAttempts: 1,
    ...extra,
  });
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => error,
  );
}

const changeInput = (
  zoneId: string,
  action: 'CREATE' | 'DELETE' | 'UPSERT',
  values: string[],
  name = '_acme-challenge.example.com.',
  ttl = 60,
) => ({
  HostedZoneId: zoneId,
  ChangeBatch: {
    Changes: [
      {
        Action: action,
        ResourceRecordSet: {
          Name: name,
          Type: 'TXT' as const,
          TTL: ttl,
          ResourceRecords: values.map((Value) => ({ Value })),
        },
      },
    ],
  },
});

let fake: FakeRoute53;
let documented: { url: string; server: Server };
let zoneId: string;
beforeAll(async () => {
  fake = await startFakeRoute53({ maxPageSize: 1, changeDelayMs: 200 });
  zoneId = fake.addHostedZone('example.com', { comment: 'first zone' }).id;
  fake.addHostedZone('example2.com', { comment: 'second zone' });
  fake.addHostedZone('example3.com');
  documented = await documentedService({
    '/2013-04-01/hostedzonesbyname': { body: await fixture('list-hosted-zones-by-name.response.xml') },
    '/2013-04-01/hostedzone': { body: await fixture('list-hosted-zones.response.xml') },
    '/2013-04-01/hostedzone/Z111111QQQQQQQ/rrset': {
      body: await fixture('list-resource-record-sets.response.xml'),
    },
    'POST /2013-04-01/hostedzone/Z111111QQQQQQQ/rrset': {
      body: await fixture('change-resource-record-sets.response.xml'),
    },
    '/2013-04-01/change/C2682N5HXP0BZ4': { body: await fixture('get-change.response.xml') },
    '/2013-04-01/hostedzone/ZNOTFOUND/rrset': {
      status: 400,
      body: await fixture('error-delete-not-found.xml'),
    },
    '/2013-04-01/hostedzone/ZMISMATCH/rrset': {
      status: 400,
      body: await fixture('error-delete-mismatch.xml'),
    },
    '/2013-04-01/hostedzone/ZTHROTTLED/rrset': { status: 400, body: await fixture('error-throttling.xml') },
  });
});
afterAll(async () => {
  await fake?.stop();
  documented?.server.close();
});

describe('fake Route 53 against documented responses: the SDK parses both into the same shape', () => {
  it('ListHostedZonesByName (truncated page)', async () => {
    const input = { DNSName: 'example2.com', MaxItems: 1 };
    const expected = await client(documented.url).send(new ListHostedZonesByNameCommand(input));
    const actual = await client(fake.endpoint, {}, fake).send(new ListHostedZonesByNameCommand(input));
    expect(expected.HostedZones?.[0]?.Config?.PrivateZone).toBe(false);
    expect(shape(actual)).toEqual(shape(expected));
    expect(actual).toMatchObject({
      IsTruncated: true,
      NextDNSName: 'example3.com.',
      MaxItems: 1,
      DNSName: 'example2.com',
    });
  });

  it('ListHostedZones (truncated page with a marker)', async () => {
    const first = await client(fake.endpoint, {}, fake).send(new ListHostedZonesCommand({ MaxItems: 1 }));
    const input = { Marker: first.NextMarker, MaxItems: 1 };
    const expected = await client(documented.url).send(new ListHostedZonesCommand(input));
    const actual = await client(fake.endpoint, {}, fake).send(new ListHostedZonesCommand(input));
    expect(shape(actual)).toEqual(shape(expected));
    expect(actual.HostedZones?.[0]?.Name).toBe('example2.com.');
  });

  it('ListResourceRecordSets (a TXT set with two values, truncated)', async () => {
    await client(fake.endpoint, {}, fake).send(
      new ChangeResourceRecordSetsCommand(
        changeInput(
          zoneId,
          'CREATE',
          ['"v=spf1 ip4:192.0.2.0/24 -all"', '"second value"'],
          'example.com.',
          300,
        ),
      ),
    );
    const expected = await client(documented.url).send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: 'Z111111QQQQQQQ',
        StartRecordName: 'example.com.',
        StartRecordType: 'TXT',
        MaxItems: 1,
      }),
    );
    const actual = await client(fake.endpoint, {}, fake).send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        StartRecordName: 'example.com.',
        StartRecordType: 'TXT',
        MaxItems: 1,
      }),
    );
    expect(actual.ResourceRecordSets).toEqual(expected.ResourceRecordSets);
    expect(shape({ ...actual, IsTruncated: true, NextRecordName: '', NextRecordType: '' })).toEqual(
      shape(expected),
    );
    expect(actual.IsTruncated).toBe(false);
  });

  it('ChangeResourceRecordSets and GetChange (PENDING, then INSYNC)', async () => {
    const input: ChangeResourceRecordSetsCommandInput = {
      ...changeInput(zoneId, 'CREATE', ['"gfj9Xq...Rg85nM"']),
      ChangeBatch: {
        ...changeInput(zoneId, 'CREATE', ['"gfj9Xq...Rg85nM"']).ChangeBatch,
        Comment: 'This change batch creates a TXT record for _acme-challenge.example.com.',
      },
    };
    const expected = await client(documented.url).send(
      new ChangeResourceRecordSetsCommand({ ...input, HostedZoneId: 'Z111111QQQQQQQ' }),
    );
    const actual = await client(fake.endpoint, {}, fake).send(new ChangeResourceRecordSetsCommand(input));
    expect(shape(actual)).toEqual(shape(expected));
    expect(actual.ChangeInfo?.Status).toBe('PENDING');
    const expectedChange = await client(documented.url).send(
      new GetChangeCommand({ Id: '/change/C2682N5HXP0BZ4' }),
    );
    const pending = await client(fake.endpoint, {}, fake).send(
      new GetChangeCommand({ Id: actual.ChangeInfo!.Id! }),
    );
    expect(pending.ChangeInfo?.Status).toBe('PENDING');
    await fake.settled();
    const synced = await client(fake.endpoint, {}, fake).send(
      new GetChangeCommand({ Id: actual.ChangeInfo!.Id! }),
    );
    expect(shape({ ...synced, ChangeInfo: { ...synced.ChangeInfo, Comment: undefined } })).toEqual(
      shape({ ...expectedChange, ChangeInfo: { ...expectedChange.ChangeInfo, Comment: undefined } }),
    );
    expect(synced.ChangeInfo?.Status).toBe('INSYNC');
  });

  it('InvalidChangeBatch and Throttling errors parse to the same names and message forms', async () => {
    const sdk = client(fake.endpoint, {}, fake);
    const cases = [
      {
        documentedZone: 'ZNOTFOUND',
        run: () =>
          sdk.send(
            new ChangeResourceRecordSetsCommand(
              changeInput(zoneId, 'DELETE', ['"absent"'], 'k.example.com.'),
            ),
          ),
      },
      {
        documentedZone: 'ZMISMATCH',
        run: () =>
          sdk.send(
            new ChangeResourceRecordSetsCommand(
              changeInput(zoneId, 'DELETE', ['"not the value"'], 'example.com.', 300),
            ),
          ),
      },
    ];
    for (const { documentedZone, run } of cases) {
      const expected = await failure(
        client(documented.url).send(
          new ChangeResourceRecordSetsCommand(changeInput(documentedZone, 'DELETE', ['"x"'])),
        ),
      );
      const actual = await failure(run());
      expect([actual.name, actual.$metadata.httpStatusCode]).toEqual([
        expected.name,
        expected.$metadata.httpStatusCode,
      ]);
      expect(actual.message.replace(/name='[^']*'/, "name='…'")).toBe(
        expected.message.replace(/name='[^']*'/, "name='…'"),
      );
    }
    const expected = await failure(
      client(documented.url).send(new ListResourceRecordSetsCommand({ HostedZoneId: 'ZTHROTTLED' })),
    );
    fake.throttle(1);
    const actual = await failure(sdk.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId })));
    expect([actual.name, actual.message, actual.$metadata.httpStatusCode]).toEqual([
      expected.name,
      expected.message,
      400,
    ]);
  });
});

describe('fake Route 53 accepts what the SDK and the documentation send', () => {
  it('takes the documented ChangeResourceRecordSetsRequest body as sent, signed', async () => {
    const body = await fixture('change-resource-record-sets.request.xml');
    const sdk = client(fake.endpoint, {}, fake);
    const zone = fake.addHostedZone('example.com', { id: 'ZDOCUMENTEDREQ' });
    // Replace the SDK's serialised body with the documented one before signing, so the signature covers it.
    sdk.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { body: unknown }).body = body;
        return next(args);
      },
      // Before the SDK computes Content-Length (also a build-step middleware).
      { step: 'build', priority: 'high', name: 'documentedBody' },
    );
    const output = await sdk.send(
      new ChangeResourceRecordSetsCommand(changeInput(zone.id, 'CREATE', ['"ignored"'])),
    );
    expect(output.ChangeInfo?.Comment).toBe(
      'This change batch creates a TXT record for _acme-challenge.example.com.',
    );
    expect(fake.recordSets(zone.id).find((set) => set.type === 'TXT')).toEqual({
      name: '_acme-challenge.example.com.',
      type: 'TXT',
      ttl: 60,
      values: ['"gfj9Xq...Rg85nM"'],
    });
  });

  it("serialises the SDK's ChangeBatch like the documented request", async () => {
    let sent = '';
    const sdk = client(documented.url);
    sdk.middlewareStack.add(
      (next) => async (args) => {
        sent = String((args.request as { body: unknown }).body);
        return next(args);
      },
      { step: 'build', name: 'capture' },
    );
    const documentedBody = await fixture('change-resource-record-sets.request.xml');
    await sdk.send(
      new ChangeResourceRecordSetsCommand({
        ...changeInput('Z111111QQQQQQQ', 'CREATE', ['"gfj9Xq...Rg85nM"']),
        ChangeBatch: {
          ...changeInput('', 'CREATE', ['"gfj9Xq...Rg85nM"']).ChangeBatch,
          Comment: 'This change batch creates a TXT record for _acme-challenge.example.com.',
        },
      }),
    );
    // Same elements and text, sibling order aside (the SDK writes Comment after Changes; the service takes both).
    expect(leaves(sent)).toEqual(leaves(documentedBody));
    expect(sent).toContain(
      '<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">',
    );
  });
});

describe('fake Route 53 signature checks (SigV4)', () => {
  it('refuses an unsigned request with MissingAuthenticationToken', async () => {
    const response = await fetch(`${fake.endpoint}/2013-04-01/hostedzone`);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('refuses an unknown key id, a wrong secret, a wrong scope and a tampered body', async () => {
    const list = new ListHostedZonesCommand({});
    const unknown = await failure(
      client(fake.endpoint, {
        credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: fake.credentials.secretAccessKey },
      }).send(list),
    );
    expect([unknown.name, unknown.$metadata.httpStatusCode]).toEqual(['InvalidClientTokenId', 403]);
    const wrongSecret = await failure(
      client(fake.endpoint, { credentials: { ...fake.credentials, secretAccessKey: 'wrong' } }).send(list),
    );
    expect([wrongSecret.name, wrongSecret.$metadata.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
    // Route 53 signs in us-east-1 whatever the client region in the aws partition; China signs in cn-northwest-1.
    const wrongRegion = await failure(client(fake.endpoint, { region: 'cn-north-1' }, fake).send(list));
    expect(wrongRegion.name).toBe('SignatureDoesNotMatch');
    const tampering = client(fake.endpoint, {}, fake);
    type Middleware = Parameters<typeof tampering.middlewareStack.addRelativeTo>[0];
    const tamper =
      (next: (args: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
        const request = args.request as { body: unknown };
        request.body = String(request.body).replace('t.example.com.', 'u.example.com.');
        return next(args);
      };
    tampering.middlewareStack.addRelativeTo(tamper as unknown as Middleware, {
      relation: 'after',
      toMiddleware: 'httpSigningMiddleware',
      name: 'tamper',
    });
    const tampered = await failure(
      tampering.send(
        new ChangeResourceRecordSetsCommand(changeInput(zoneId, 'UPSERT', ['"a"'], 't.example.com.')),
      ),
    );
    expect(tampered.name).toBe('SignatureDoesNotMatch');
  });

  it('answers a skewed clock with SignatureDoesNotMatch, which the SDK corrects from the Date header', async () => {
    const ahead = await startFakeRoute53({ clockOffsetMs: 30 * 60_000 });
    try {
      ahead.addHostedZone('example.com');
      const output = await client(ahead.endpoint, { maxAttempts: 3 }, ahead).send(
        new ListHostedZonesCommand({}),
      );
      expect(output.HostedZones).toHaveLength(1);
      expect(ahead.requests.map((request) => request.code ?? request.status)).toEqual([
        'SignatureDoesNotMatch',
        200,
      ]);
      expect(ahead.requests[0]?.code).toBe('SignatureDoesNotMatch');
    } finally {
      await ahead.stop();
    }
  });
});

describe('fake Route 53 change batch semantics', () => {
  let sdk: Route53Client;
  afterEach(() => fake.resetRequests());
  beforeAll(() => {
    sdk = client(fake.endpoint, {}, fake);
  });
  const send = (input: ChangeResourceRecordSetsCommandInput) =>
    sdk.send(new ChangeResourceRecordSetsCommand(input));
  const batch = (
    ...changes: NonNullable<NonNullable<ChangeResourceRecordSetsCommandInput['ChangeBatch']>['Changes']>
  ) => ({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } });
  const set = (name: string, values: string[], ttl = 60) => ({
    Name: name,
    Type: 'TXT' as const,
    TTL: ttl,
    ResourceRecords: values.map((Value) => ({ Value })),
  });

  it('rejects CREATE of an existing set and applies nothing of a failing batch', async () => {
    await send(batch({ Action: 'CREATE', ResourceRecordSet: set('sem1.example.com.', ['"one"']) }));
    const error = await failure(
      send(
        batch(
          { Action: 'CREATE', ResourceRecordSet: set('sem2.example.com.', ['"two"']) },
          { Action: 'CREATE', ResourceRecordSet: set('sem1.example.com.', ['"again"']) },
        ),
      ),
    );
    expect(error.name).toBe('InvalidChangeBatch');
    expect(error.message).toBe(
      "[Tried to create resource record set [name='sem1.example.com.', type='TXT'] but it already exists]",
    );
    expect(fake.recordSets(zoneId).some((s) => s.name === 'sem2.example.com.')).toBe(false);
  });

  it('requires a DELETE to name the exact values and TTL; DELETE then CREATE in one batch replaces a set', async () => {
    await send(batch({ Action: 'CREATE', ResourceRecordSet: set('sem3.example.com.', ['"a"', '"b"']) }));
    expect(
      (await failure(send(batch({ Action: 'DELETE', ResourceRecordSet: set('sem3.example.com.', ['"a"']) }))))
        .message,
    ).toContain('do not match the current values');
    expect(
      (
        await failure(
          send(batch({ Action: 'DELETE', ResourceRecordSet: set('sem3.example.com.', ['"b"', '"a"'], 300) })),
        )
      ).message,
    ).toContain('do not match the current values');
    await send(
      batch(
        { Action: 'DELETE', ResourceRecordSet: set('sem3.example.com.', ['"b"', '"a"']) },
        { Action: 'CREATE', ResourceRecordSet: set('sem3.example.com.', ['"b"']) },
      ),
    );
    expect(fake.recordSets(zoneId).find((s) => s.name === 'sem3.example.com.')?.values).toEqual(['"b"']);
  });

  it('refuses unquoted and over-long TXT strings, duplicate values and names outside the zone', async () => {
    const reasons = await Promise.all([
      failure(send(batch({ Action: 'UPSERT', ResourceRecordSet: set('q.example.com.', ['unquoted']) }))),
      failure(
        send(batch({ Action: 'UPSERT', ResourceRecordSet: set('q.example.com.', [`"${'x'.repeat(256)}"`]) })),
      ),
      failure(send(batch({ Action: 'UPSERT', ResourceRecordSet: set('q.example.com.', ['"d"', '"d"']) }))),
      failure(send(batch({ Action: 'UPSERT', ResourceRecordSet: set('q.example.org.', ['"o"']) }))),
    ]);
    expect(reasons.map((reason) => reason.name)).toEqual(Array(4).fill('InvalidChangeBatch'));
    expect(reasons[0]!.message).toContain(
      'InvalidCharacterString (Value should be enclosed in quotation marks)',
    );
    expect(reasons[1]!.message).toContain('CharacterStringTooLong');
    expect(reasons[2]!.message).toContain('Duplicate Resource Record');
    expect(reasons[3]!.message).toContain('is not permitted in zone example.com.');
    // Two strings of 255 octets in one value are fine: that is how long values are split.
    await send(
      batch({
        Action: 'UPSERT',
        ResourceRecordSet: set('q.example.com.', [`"${'x'.repeat(255)}" "${'y'.repeat(255)}"`]),
      }),
    );
  });

  it('answers NoSuchHostedZone (404) for an unknown zone id', async () => {
    const error = await failure(
      sdk.send(new ListResourceRecordSetsCommand({ HostedZoneId: 'ZDOESNOTEXIST' })),
    );
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['NoSuchHostedZone', 404]);
  });
});
