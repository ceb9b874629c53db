import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import type { DnsConformanceFeature, DnsConformanceSubject } from './subject.js';

/** One framework-agnostic case: throws (node:assert) when the provider breaks the port's contract. */
export interface DnsConformanceCase {
  readonly id: string;
  readonly title: string;
  /** Features of the service the case needs; declaring one not applicable leaves the case out. */
  readonly needs?: readonly DnsConformanceFeature[];
  run(subject: DnsConformanceSubject): Promise<void>;
}

/** A fresh name per case, so runs against a shared real zone never collide. */
function uniqueName(suffix = ''): string {
  return `_acme-challenge.ckt-${randomBytes(4).toString('hex')}${suffix}`;
}

/** A name the subject's provider may write: one it hands out, else a random one. */
function freshName(subject: DnsConformanceSubject): string {
  return subject.freshName?.() ?? uniqueName();
}

function txt(name: string, value: string, ttl = 120): DnsRecord {
  return { name, type: 'TXT', value, ttl };
}

function digest(): string {
  // Shaped like a real dns-01 value: 43 base64url characters.
  return randomBytes(32).toString('base64url');
}

async function valuesAt(subject: DnsConformanceSubject, name: string): Promise<string[]> {
  const records = await subject.provider.listRecords(subject.zone, { name, type: 'TXT' });
  for (const record of records) assert.equal(record.name, name, 'listRecords must apply the name filter');
  return records.map((record) => record.value).sort();
}

async function expectCode(promise: Promise<unknown>, code: string, what: string): Promise<void> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(outcome !== undefined, `${what} succeeded; expected a CertkeeperError with code ${code}`);
  assert.ok(CertkeeperError.isInstance(outcome), `${what} threw an untyped error: ${String(outcome)}`);
  assert.equal(outcome.code, code, `${what} threw ${outcome.code}: ${outcome.message}`);
}

export const dnsConformanceCases: readonly DnsConformanceCase[] = [
  {
    id: 'two-values',
    title: 'two values at one name are two records, both listed',
    async run(subject) {
      const name = freshName(subject);
      const [a, b] = [digest(), digest()];
      await subject.provider.createRecord(subject.zone, txt(name, a));
      await subject.provider.createRecord(subject.zone, txt(name, b));
      assert.deepEqual(await valuesAt(subject, name), [a, b].sort());
      await subject.provider.deleteRecord(subject.zone, txt(name, a));
      await subject.provider.deleteRecord(subject.zone, txt(name, b));
    },
  },
  {
    id: 'delete-one-keeps-other',
    title: 'deleting one value keeps the other (and ignores the TTL when matching)',
    needs: ['deletion'],
    async run(subject) {
      const name = freshName(subject);
      const [a, b] = [digest(), digest()];
      await subject.provider.createRecord(subject.zone, txt(name, a));
      await subject.provider.createRecord(subject.zone, txt(name, b));
      assert.equal(await subject.provider.deleteRecord(subject.zone, txt(name, a, 9999)), true);
      assert.deepEqual(await valuesAt(subject, name), [b]);
      await subject.provider.deleteRecord(subject.zone, txt(name, b));
      assert.deepEqual(await valuesAt(subject, name), []);
    },
  },
  {
    id: 'create-idempotent',
    title: 'creating an existing value again changes nothing',
    async run(subject) {
      const name = freshName(subject);
      const value = digest();
      await subject.provider.createRecord(subject.zone, txt(name, value));
      await subject.provider.createRecord(subject.zone, txt(name, value));
      assert.deepEqual(await valuesAt(subject, name), [value]);
      await subject.provider.deleteRecord(subject.zone, txt(name, value));
    },
  },
  {
    id: 'delete-idempotent',
    title: 'deleting an absent value succeeds and reports that nothing was removed',
    needs: ['deletion'],
    async run(subject) {
      const name = freshName(subject);
      const value = digest();
      assert.equal(await subject.provider.deleteRecord(subject.zone, txt(name, value)), false);
      await subject.provider.createRecord(subject.zone, txt(name, value));
      assert.equal(await subject.provider.deleteRecord(subject.zone, txt(name, value)), true);
      assert.equal(await subject.provider.deleteRecord(subject.zone, txt(name, value)), false);
      assert.deepEqual(await valuesAt(subject, name), []);
    },
  },
  {
    id: 'apex-and-deep-names',
    title: 'apex ("@") and deep names are stored where they say',
    needs: ['arbitraryNames'],
    async run(subject) {
      const deep = `${uniqueName()}.a.b.c`;
      const [apexValue, deepValue] = [digest(), digest()];
      await subject.provider.createRecord(subject.zone, txt('@', apexValue));
      await subject.provider.createRecord(subject.zone, txt(deep, deepValue));
      try {
        assert.ok((await valuesAt(subject, '@')).includes(apexValue), 'apex value missing');
        assert.deepEqual(await valuesAt(subject, deep), [deepValue]);
      } finally {
        await subject.provider.deleteRecord(subject.zone, txt('@', apexValue));
        await subject.provider.deleteRecord(subject.zone, txt(deep, deepValue));
      }
      assert.ok(!(await valuesAt(subject, '@')).includes(apexValue), 'apex value survived its deletion');
    },
  },
  {
    id: 'wildcard-base-name',
    title: 'a name and its wildcard share one challenge name and both values survive',
    needs: ['deletion'],
    async run(subject) {
      // example.test and *.example.test both validate at _acme-challenge.example.test (RFC 8555 §8.4).
      const name = freshName(subject);
      const [base, wildcard] = [digest(), digest()];
      // One after the other, the way an order publishes them: a provider that replaces the value set loses the first.
      await subject.provider.createRecord(subject.zone, txt(name, base));
      await subject.provider.createRecord(subject.zone, txt(name, wildcard));
      assert.deepEqual(await valuesAt(subject, name), [base, wildcard].sort());
      await subject.provider.deleteRecord(subject.zone, txt(name, wildcard));
      assert.deepEqual(await valuesAt(subject, name), [base]);
      await subject.provider.deleteRecord(subject.zone, txt(name, base));
    },
  },
  {
    id: 'ttl',
    title: 'the TTL is honoured and reported as stored',
    async run(subject) {
      const name = freshName(subject);
      const value = digest();
      const expected = subject.expectedTtl?.(300) ?? 300;
      const created = await subject.provider.createRecord(subject.zone, txt(name, value, 300));
      assert.equal(created.ttl, expected, 'createRecord must report the TTL it stored');
      const [listed] = await subject.provider.listRecords(subject.zone, { name });
      assert.equal(listed?.ttl, expected, 'listRecords must report the stored TTL');
      await subject.provider.deleteRecord(subject.zone, txt(name, value));
    },
  },
  {
    id: 'absent-zone',
    title: 'an absent zone gives DNS_ZONE_NOT_FOUND',
    async run(subject) {
      const zone = subject.absentZone ?? `ckt-${randomBytes(4).toString('hex')}.invalid`;
      await expectCode(
        subject.provider.createRecord(zone, txt(uniqueName(), digest())),
        ErrorCodes.DNS_ZONE_NOT_FOUND,
        `createRecord in "${zone}"`,
      );
      await expectCode(
        subject.provider.listRecords(zone),
        ErrorCodes.DNS_ZONE_NOT_FOUND,
        `listRecords in "${zone}"`,
      );
    },
  },
  {
    id: 'bad-credentials',
    title: 'rejected credentials give DNS_PROVIDER_UNAUTHORIZED',
    needs: ['badCredentials'],
    async run(subject) {
      assert.ok(
        subject.withBadCredentials,
        'the subject must provide withBadCredentials (or declare it not applicable)',
      );
      const provider = subject.withBadCredentials();
      await expectCode(
        provider.createRecord(subject.zone, txt(freshName(subject), digest())),
        ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
        'createRecord with bad credentials',
      );
    },
  },
  {
    id: 'concurrent-creates',
    title: 'concurrent creates at one name lose nothing, concurrent deletes leave nothing',
    needs: ['manyValues', 'deletion'],
    async run(subject) {
      const name = freshName(subject);
      const values = Array.from({ length: 8 }, digest);
      await Promise.all(values.map((value) => subject.provider.createRecord(subject.zone, txt(name, value))));
      assert.deepEqual(await valuesAt(subject, name), [...values].sort());
      await Promise.all(values.map((value) => subject.provider.deleteRecord(subject.zone, txt(name, value))));
      assert.deepEqual(await valuesAt(subject, name), []);
    },
  },
  {
    id: 'two-instances',
    title: 'two provider instances (as two processes) writing one name at once lose nothing',
    needs: ['twoInstances', 'manyValues', 'deletion'],
    async run(subject) {
      // Two certkeeper processes renewing certificates that share a name (apex + wildcard split over two orders,
      // or two machines) each hold their own provider: no shared lock, no shared cache. An API whose writes
      // replace a whole value set, without a conditional write, loses one process's value here.
      assert.ok(
        subject.secondInstance,
        'the subject must provide secondInstance (or declare twoInstances not applicable, with the reason)',
      );
      const [first, second] = [subject.provider, subject.secondInstance()];
      const { zone } = subject;
      const name = freshName(subject);
      const mine = [digest(), digest()];
      const theirs = [digest(), digest(), digest(), digest()];
      const create = (provider: typeof first, value: string) => provider.createRecord(zone, txt(name, value));
      const remove = (provider: typeof first, value: string) => provider.deleteRecord(zone, txt(name, value));
      // Both write at once.
      await Promise.all([
        ...mine.map((value) => create(first, value)),
        ...theirs.slice(0, 2).map((value) => create(second, value)),
      ]);
      assert.deepEqual(
        await valuesAt(subject, name),
        [...mine, ...theirs.slice(0, 2)].sort(),
        'concurrent creates from two instances lost a value',
      );
      // One cleans up while the other publishes more: a delete must not take the other's new values with it.
      const removed = await Promise.all([
        ...mine.map((value) => remove(first, value)),
        ...theirs.slice(2).map((value) => create(second, value)),
      ]);
      assert.deepEqual(removed.slice(0, mine.length), [true, true], 'deleteRecord must report its removals');
      assert.deepEqual(
        await valuesAt(subject, name),
        [...theirs].sort(),
        "a delete from one instance undid the other instance's concurrent creates (or left its own value)",
      );
      // Both clean up at once: nothing is left.
      await Promise.all(theirs.map((value, index) => remove(index % 2 === 0 ? first : second, value)));
      assert.deepEqual(
        await valuesAt(subject, name),
        [],
        'concurrent deletes from two instances left a value',
      );
    },
  },
];
