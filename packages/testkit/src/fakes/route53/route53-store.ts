import { randomBytes } from 'node:crypto';
import { canonicalName, inZone, sortKey, txtValueProblem } from './route53-names.js';

/** A failure shaped like a Route 53 error response (`<ErrorResponse><Error><Code>`). */
export class Route53Fault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

export interface FakeRecordSet {
  /** Stored form: lower case, escaped, trailing dot. */
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  /** Presentation values exactly as written (TXT: quoted strings). */
  readonly values: readonly string[];
}

export interface FakeHostedZone {
  readonly id: string;
  readonly name: string;
  readonly private: boolean;
  readonly callerReference: string;
  readonly comment?: string;
  readonly sets: Map<string, FakeRecordSet>;
}

export interface FakeChange {
  readonly id: string;
  status: 'PENDING' | 'INSYNC';
  readonly submittedAt: Date;
  readonly comment?: string;
  /** Names the change touched, for the DNS mirror. */
  readonly names: readonly string[];
  readonly zoneId: string;
}

/** One `<Change>` of a ChangeBatch as the fake parsed it. */
export interface ChangeRequest {
  readonly action: string;
  readonly name?: string;
  readonly type?: string;
  readonly ttl?: number;
  readonly values: readonly string[];
  readonly setIdentifier?: string;
}

const key = (name: string, type: string) => `${name}|${type}`;

export function randomId(prefix: string, length = 14): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return prefix + [...randomBytes(length - 1)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** Hosted zones, record sets and changes, with Route 53's validation rules for change batches. */
export class Route53Store {
  readonly zones = new Map<string, FakeHostedZone>();
  readonly changes = new Map<string, FakeChange>();

  addZone(name: string, options: { private?: boolean; id?: string; comment?: string } = {}): FakeHostedZone {
    const zone: FakeHostedZone = {
      id: options.id ?? randomId('Z', 21),
      name: canonicalName(name),
      private: options.private === true,
      callerReference: randomId('ref-', 12),
      ...(options.comment ? { comment: options.comment } : {}),
      sets: new Map(),
    };
    // Like the real service, a new zone holds its SOA and NS record sets.
    zone.sets.set(key(zone.name, 'SOA'), {
      name: zone.name,
      type: 'SOA',
      ttl: 900,
      values: ['ns-1.awsdns-fake.test. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400'],
    });
    zone.sets.set(key(zone.name, 'NS'), {
      name: zone.name,
      type: 'NS',
      ttl: 172800,
      values: ['ns-1.awsdns-fake.test.', 'ns-2.awsdns-fake.test.'],
    });
    this.zones.set(zone.id, zone);
    return zone;
  }

  zone(id: string): FakeHostedZone {
    const zone = this.zones.get(id.replace(/^\/hostedzone\//, ''));
    if (!zone) throw new Route53Fault(404, 'NoSuchHostedZone', `No hosted zone found with ID: ${id}`);
    return zone;
  }

  /** Record sets in listing order: reversed-label name, then type. */
  sortedSets(zone: FakeHostedZone): FakeRecordSet[] {
    return [...zone.sets.values()].sort(
      (a, b) => compare(sortKey(a.name), sortKey(b.name)) || compare(a.type, b.type),
    );
  }

  /** Zones in ListHostedZonesByName order: reversed-label name, then id. */
  zonesByName(): FakeHostedZone[] {
    return [...this.zones.values()].sort(
      (a, b) => compare(sortKey(a.name), sortKey(b.name)) || compare(a.id, b.id),
    );
  }

  /**
   * Validates every change against the zone as the earlier changes of the batch leave it, and applies all or
   * nothing (a batch is transactional). All problems are reported at once, as Route 53 lists them.
   */
  applyBatch(zone: FakeHostedZone, changes: readonly ChangeRequest[], comment?: string): FakeChange {
    if (changes.length === 0)
      throw new Route53Fault(400, 'InvalidInput', 'Invalid XML ; Changes must contain at least one Change');
    const working = new Map(zone.sets);
    const problems: string[] = [];
    for (const change of changes) {
      const problem = this.applyOne(zone, working, change);
      if (problem) problems.push(problem);
    }
    if (problems.length > 0) throw new Route53Fault(400, 'InvalidChangeBatch', `[${problems.join(', ')}]`);
    zone.sets.clear();
    for (const [k, set] of working) zone.sets.set(k, set);
    const change: FakeChange = {
      id: randomId('C', 14),
      status: 'PENDING',
      submittedAt: new Date(),
      ...(comment ? { comment } : {}),
      names: [...new Set(changes.map((c) => canonicalName(c.name ?? '')))],
      zoneId: zone.id,
    };
    this.changes.set(change.id, change);
    return change;
  }

  private applyOne(
    zone: FakeHostedZone,
    working: Map<string, FakeRecordSet>,
    change: ChangeRequest,
  ): string | undefined {
    if (!['CREATE', 'DELETE', 'UPSERT'].includes(change.action)) return `Invalid action: ${change.action}`;
    if (!change.name || !change.type) return 'Invalid request: Change is missing Name or Type';
    const name = canonicalName(change.name);
    const label = `[name='${name}', type='${change.type}']`;
    if (!inZone(name, zone.name)) return `RRSet with DNS name ${name} is not permitted in zone ${zone.name}`;
    if (change.setIdentifier !== undefined)
      return `Invalid request: routing policies are not supported by this fake ${label}`;
    if (change.ttl === undefined)
      return `Invalid request: Missing field 'TTL' in Change with [Action=${change.action}, Name=${name}, Type=${change.type}, SetIdentifier=null]`;
    if (change.values.length === 0) return `Invalid request: Expected at least one ResourceRecord ${label}`;
    if (change.type === 'TXT') {
      for (const value of change.values) {
        const problem = txtValueProblem(value);
        if (problem)
          return `Invalid Resource Record: 'FATAL problem: ${problem} encountered with '${value}''`;
      }
    }
    const duplicate = change.values.find((value, index) => change.values.indexOf(value) !== index);
    if (duplicate !== undefined) return `Duplicate Resource Record: '${duplicate}'`;
    const k = key(name, change.type);
    const existing = working.get(k);
    const wanted: FakeRecordSet = { name, type: change.type, ttl: change.ttl, values: [...change.values] };
    switch (change.action) {
      case 'CREATE':
        if (existing) return `Tried to create resource record set ${label} but it already exists`;
        working.set(k, wanted);
        return undefined;
      case 'DELETE':
        if (!existing) return `Tried to delete resource record set ${label} but it was not found`;
        // "To delete a resource record set, you must specify all the same values that you specified when you
        // created it": TTL and every value, in any order.
        if (existing.ttl !== wanted.ttl || !sameValues(existing.values, wanted.values))
          return `Tried to delete resource record set ${label} but the values provided do not match the current values`;
        working.delete(k);
        return undefined;
      default:
        working.set(k, wanted);
        return undefined;
    }
  }
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  const sorted = (values: readonly string[]) => [...values].map((v) => v.trim()).sort();
  return a.length === b.length && sorted(a).every((value, index) => value === sorted(b)[index]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
