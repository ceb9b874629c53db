import { googleError } from './google-error.js';

export interface FakeRrset {
  readonly kind: 'dns#resourceRecordSet';
  /** Fully qualified with the trailing dot, lower case. */
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly rrdatas: readonly string[];
}

export interface FakeManagedZone {
  readonly name: string;
  /** With the trailing dot. */
  readonly dnsName: string;
  readonly id: string;
  readonly visibility: 'public' | 'private';
  readonly rrsets: Map<string, FakeRrset>;
}

export interface FakeChange {
  readonly kind: 'dns#change';
  readonly id: string;
  readonly startTime: string;
  readonly additions: readonly FakeRrset[];
  readonly deletions: readonly FakeRrset[];
  /** When `GET` starts answering `done`. */
  readonly doneAt: number;
}

const keyOf = (name: string, type: string) => `${name}|${type}`;

/** Managed zones of one project, their record sets and the changes made to them, with Cloud DNS's change rules. */
export class GoogleDnsStore {
  readonly zones = new Map<string, FakeManagedZone>();
  readonly changes = new Map<string, FakeChange>();
  private nextId = 1;

  addZone(name: string, dnsName: string, visibility: 'public' | 'private' = 'public'): FakeManagedZone {
    const fqdn = `${dnsName.toLowerCase().replace(/\.$/, '')}.`;
    const zone: FakeManagedZone = {
      name,
      dnsName: fqdn,
      id: String(4_000_000 + this.nextId++),
      visibility,
      rrsets: new Map(),
    };
    zone.rrsets.set(keyOf(fqdn, 'NS'), {
      kind: 'dns#resourceRecordSet',
      name: fqdn,
      type: 'NS',
      ttl: 21600,
      rrdatas: ['ns-cloud-a1.googledomains.com.', 'ns-cloud-a2.googledomains.com.'],
    });
    this.zones.set(name, zone);
    return zone;
  }

  zone(name: string): FakeManagedZone {
    const zone = this.zones.get(name);
    if (!zone)
      throw googleError(
        404,
        'notFound',
        `The 'parameters.managedZone' resource named '${name}' does not exist.`,
      );
    return zone;
  }

  /**
   * Applies a change atomically as Cloud DNS does: every deletion must equal an existing set exactly (TTL and data,
   * else 412 `conditionNotMet`), then every addition must not meet a set still there (409 `alreadyExists`); nothing
   * is applied unless everything is.
   */
  applyChange(zone: FakeManagedZone, input: Record<string, unknown>, delayMs: number): FakeChange {
    const additions = rrsetsOf(input.additions, 'additions');
    const deletions = rrsetsOf(input.deletions, 'deletions');
    if (additions.length === 0 && deletions.length === 0)
      throw googleError(400, 'required', "The 'entity.change' parameter is required but was missing.");
    const next = new Map(zone.rrsets);
    deletions.forEach((set, index) => {
      const existing = next.get(keyOf(set.name, set.type));
      if (!existing || existing.ttl !== set.ttl || !sameData(existing.rrdatas, set.rrdatas))
        throw googleError(
          412,
          'conditionNotMet',
          `Precondition not met for 'entity.change.deletions[${index}]'`,
        );
      next.delete(keyOf(set.name, set.type));
    });
    additions.forEach((set, index) => {
      if (set.name !== zone.dnsName && !set.name.endsWith(`.${zone.dnsName}`))
        throw googleError(
          400,
          'invalid',
          `Invalid value for 'entity.change.additions[${index}].name': '${set.name}'`,
        );
      if (next.has(keyOf(set.name, set.type)))
        throw googleError(
          409,
          'alreadyExists',
          `The resource 'entity.change.additions[${index}]' named '${set.name} (${set.type})' already exists`,
        );
      next.set(keyOf(set.name, set.type), set);
    });
    zone.rrsets.clear();
    for (const [key, set] of next) zone.rrsets.set(key, set);
    const change: FakeChange = {
      kind: 'dns#change',
      id: String(this.nextId++),
      startTime: new Date().toISOString(),
      additions,
      deletions,
      doneAt: Date.now() + delayMs,
    };
    this.changes.set(`${zone.name}/${change.id}`, change);
    return change;
  }
}

function rrsetsOf(value: unknown, field: string): FakeRrset[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw googleError(400, 'invalid', `Invalid value for 'entity.change.${field}'`);
  return value.map((raw: Record<string, unknown>, index) => {
    const where = `entity.change.${field}[${index}]`;
    const name = typeof raw?.name === 'string' ? raw.name.toLowerCase() : '';
    const type = typeof raw?.type === 'string' ? raw.type : '';
    if (!name.endsWith('.'))
      throw googleError(400, 'invalid', `Invalid value for '${where}.name': '${name}'`);
    if (!type) throw googleError(400, 'required', `Required field '${where}.type' not specified`);
    if (typeof raw.ttl !== 'number' || !Number.isInteger(raw.ttl) || raw.ttl < 0)
      throw googleError(400, 'invalid', `Invalid value for '${where}.ttl': '${String(raw.ttl)}'`);
    const rrdatas = raw.rrdatas;
    if (!Array.isArray(rrdatas) || rrdatas.length === 0 || rrdatas.some((data) => typeof data !== 'string'))
      throw googleError(400, 'required', `Required field '${where}.rrdata' not specified`);
    if (type === 'TXT')
      for (const data of rrdatas as string[])
        if (!/^"/.test(data) && Buffer.byteLength(data) > 255)
          throw googleError(400, 'invalid', `Invalid value for '${where}.rrdata': '${data.slice(0, 40)}…'`);
    return { kind: 'dns#resourceRecordSet', name, type, ttl: raw.ttl, rrdatas: [...(rrdatas as string[])] };
  });
}

function sameData(a: readonly string[], b: readonly string[]): boolean {
  const sorted = (list: readonly string[]) => [...list].sort().join('\n');
  return a.length === b.length && sorted(a) === sorted(b);
}
