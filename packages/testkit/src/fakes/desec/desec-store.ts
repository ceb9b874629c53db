import { unquoteTxt } from '@certkeeper/dns';
import { FakeApiError } from '../json-api-fake.js';

export interface FakeDesecRrset {
  /** Empty for the apex. */
  readonly subname: string;
  readonly type: string;
  readonly ttl: number;
  /** Presentation format, as sent. */
  readonly records: readonly string[];
  readonly created: string;
  readonly touched: string;
}

export interface FakeDesecDomain {
  readonly name: string;
  readonly minimumTtl: number;
  readonly created: string;
  readonly rrsets: Map<string, FakeDesecRrset>;
}

/** A Django REST framework error body. */
export function drfError(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new FakeApiError(status, body, headers);
}

export const notFound = () => drfError(404, { detail: 'Not found.' });

/** Presentation-format TXT: one or more quoted strings, each at most 255 octets. */
const TXT_FORMAT = /^"(?:[^"\\]|\\.)*"(?: "(?:[^"\\]|\\.)*")*$/;

/** Domains and RRsets, with the API's validation of a bulk RRset write. */
export class DesecStore {
  readonly domains = new Map<string, FakeDesecDomain>();

  addDomain(name: string, minimumTtl = 3600): FakeDesecDomain {
    const domain: FakeDesecDomain = {
      name: name.toLowerCase().replace(/\.$/, ''),
      minimumTtl,
      created: new Date().toISOString(),
      rrsets: new Map(),
    };
    this.domains.set(domain.name, domain);
    return domain;
  }

  domain(name: string): FakeDesecDomain {
    const domain = this.domains.get(name.toLowerCase());
    if (!domain) throw notFound();
    return domain;
  }

  /** The account's domain responsible for a name (`?owns_qname=`): the longest domain the name is in. */
  owner(qname: string): FakeDesecDomain | undefined {
    const name = qname.toLowerCase().replace(/\.$/, '');
    return [...this.domains.values()]
      .filter((domain) => name === domain.name || name.endsWith(`.${domain.name}`))
      .sort((a, b) => b.name.length - a.name.length)[0];
  }

  /**
   * A bulk `PATCH rrsets/`: every item validated first (errors answered as one object per item), then all applied
   * at once — deSEC's bulk writes are atomic. `records: []` deletes a set; a new set needs `ttl` and `records`.
   */
  patch(domain: FakeDesecDomain, body: unknown): FakeDesecRrset[] {
    if (!Array.isArray(body))
      throw drfError(400, { non_field_errors: ['Expected a list of items but got type "dict".'] });
    const now = new Date().toISOString();
    const errors: Record<string, string[]>[] = [];
    const planned: { key: string; set?: FakeDesecRrset }[] = [];
    for (const item of body as Record<string, unknown>[]) {
      const problems: Record<string, string[]> = {};
      const subname = typeof item.subname === 'string' ? item.subname.toLowerCase() : '';
      const type = item.type;
      if (typeof type !== 'string' || type !== type.toUpperCase() || type === '')
        problems.type = ['This field is required.'];
      const key = `${subname}/${String(type)}`;
      const existing = domain.rrsets.get(key);
      const records = item.records === undefined ? existing?.records : item.records;
      const ttl = item.ttl === undefined ? existing?.ttl : item.ttl;
      if (!Array.isArray(records)) problems.records = ['This field is required.'];
      else if (
        type === 'TXT' &&
        records.some((record) => typeof record !== 'string' || !TXT_FORMAT.test(record))
      )
        problems.records = ['Record content for type TXT malformed: the value must be in quotes.'];
      else if (
        new Set(records.map((record) => (type === 'TXT' ? unquoteTxt(String(record)) : record))).size !==
        records.length
      )
        problems.records = ['Duplicate record content: this is not allowed.'];
      if (Array.isArray(records) && records.length > 0) {
        if (typeof ttl !== 'number' || !Number.isInteger(ttl)) problems.ttl = ['This field is required.'];
        else if (ttl < domain.minimumTtl)
          problems.ttl = [`Ensure this value is greater than or equal to ${domain.minimumTtl}.`];
        else if (ttl > 86400) problems.ttl = ['Ensure this value is less than or equal to 86400.'];
      }
      if (planned.some((entry) => entry.key === key))
        problems.non_field_errors = ['Same subname and type as in another RRset of this request.'];
      errors.push(problems);
      if (Object.keys(problems).length > 0 || !Array.isArray(records)) continue;
      planned.push({
        key,
        ...(records.length === 0
          ? {}
          : {
              set: {
                subname,
                type: String(type),
                ttl: ttl as number,
                records: records.map(String),
                created: existing?.created ?? now,
                touched: now,
              },
            }),
      });
    }
    if (errors.some((problems) => Object.keys(problems).length > 0)) throw drfError(400, errors);
    for (const { key, set } of planned) {
      if (set) domain.rrsets.set(key, set);
      else domain.rrsets.delete(key);
    }
    return planned.flatMap((entry) => (entry.set ? [entry.set] : []));
  }
}
