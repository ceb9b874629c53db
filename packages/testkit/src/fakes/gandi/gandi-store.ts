import { quoteTxt, unquoteTxt } from '@certkeeper/dns';
import { FakeApiError } from '../json-api-fake.js';

export interface FakeGandiRrset {
  /** Relative, `@` for the apex. */
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  /** As sent. */
  readonly values: readonly string[];
}

export interface FakeGandiDomain {
  readonly fqdn: string;
  readonly rrsets: Map<string, FakeGandiRrset>;
}

const OBJECT: Record<number, [string, string]> = {
  400: ['HTTPBadRequest', 'Bad Request'],
  401: ['HTTPUnauthorized', 'Unauthorized'],
  403: ['HTTPForbidden', 'Forbidden'],
  404: ['HTTPNotFound', 'Not Found'],
  429: ['HTTPTooManyRequests', 'Too Many Requests'],
  500: ['HTTPInternalServerError', 'Internal Server Error'],
};

/** Gandi's error envelope: `{ code, message, object, cause, errors? }`. */
export function gandiError(
  status: number,
  message: string,
  errors?: { location: string; name: string; description: string }[],
  headers: Record<string, string> = {},
) {
  const [object, cause] = OBJECT[status] ?? ['HTTPError', 'Error'];
  return new FakeApiError(
    status,
    { code: status, message, object, cause, ...(errors ? { errors } : {}) },
    headers,
  );
}

export const notFound = () => gandiError(404, 'The resource could not be found.');

/** TXT values as LiveDNS returns them: quoted, whatever form they were sent in. */
export function presentValue(type: string, value: string): string {
  return type === 'TXT' && !value.trim().startsWith('"') ? quoteTxt(value) : value;
}

/** Domains and record sets, with LiveDNS's rules for `PUT …/records/{name}/{type}`. */
export class GandiStore {
  readonly domains = new Map<string, FakeGandiDomain>();

  addDomain(fqdn: string): FakeGandiDomain {
    const domain: FakeGandiDomain = { fqdn: fqdn.toLowerCase().replace(/\.$/, ''), rrsets: new Map() };
    this.domains.set(domain.fqdn, domain);
    return domain;
  }

  domain(fqdn: string): FakeGandiDomain {
    const domain = this.domains.get(fqdn.toLowerCase());
    if (!domain) throw notFound();
    return domain;
  }

  /** Creates or replaces a record set: TTL 300 to 2 592 000, one or more values, no value twice. */
  put(domain: FakeGandiDomain, name: string, type: string, body: unknown): FakeGandiRrset {
    const input = (body ?? {}) as { rrset_ttl?: unknown; rrset_values?: unknown };
    const errors: { location: string; name: string; description: string }[] = [];
    const ttl = input.rrset_ttl ?? 10800;
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 300 || ttl > 2592000)
      errors.push({ location: 'body', name: 'rrset_ttl', description: 'must be between 300 and 2592000' });
    const values = input.rrset_values;
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      values.some((value) => typeof value !== 'string' || value === '')
    )
      errors.push({
        location: 'body',
        name: 'rrset_values',
        description: 'must be a non-empty list of strings',
      });
    else if (
      new Set(values.map((value) => (type === 'TXT' ? unquoteTxt(value) : value))).size !== values.length
    )
      errors.push({ location: 'body', name: 'rrset_values', description: 'duplicate values' });
    if (errors.length > 0) throw gandiError(400, 'Bad Request', errors);
    const set: FakeGandiRrset = {
      name: name.toLowerCase(),
      type,
      ttl: ttl as number,
      values: values as string[],
    };
    domain.rrsets.set(`${set.name}/${type}`, set);
    return set;
  }
}
