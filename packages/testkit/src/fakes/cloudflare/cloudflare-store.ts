import { randomBytes } from 'node:crypto';
import { decodeContent } from './cloudflare-content.js';

export interface FakeCloudflareZone {
  readonly id: string;
  readonly name: string;
  readonly status: 'active' | 'pending';
  readonly account: { readonly id: string; readonly name: string };
  readonly createdOn: string;
}

export interface FakeDnsRecord {
  readonly id: string;
  readonly zoneId: string;
  /** Fully qualified, lower case, no trailing dot (as the API returns names). */
  readonly name: string;
  readonly type: string;
  /** As sent by the client. */
  readonly content: string;
  readonly ttl: number;
  readonly proxied: boolean;
  readonly comment: string | null;
  readonly createdOn: string;
  readonly modifiedOn: string;
}

/** A failure shaped like a v4 error envelope entry. */
export class CloudflareFault extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly { readonly code: number; readonly message: string }[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(errors.map((error) => `${error.code}: ${error.message}`).join('; '));
  }
}

export const hexId = () => randomBytes(16).toString('hex');

/** Zones and DNS records, with the API's rules for creating and deleting records. */
export class CloudflareStore {
  readonly zones = new Map<string, FakeCloudflareZone>();
  readonly records = new Map<string, FakeDnsRecord>();

  addZone(
    name: string,
    options: { id?: string; status?: 'active' | 'pending'; accountId?: string } = {},
  ): FakeCloudflareZone {
    const zone: FakeCloudflareZone = {
      id: options.id ?? hexId(),
      name: name.toLowerCase().replace(/\.$/, ''),
      status: options.status ?? 'active',
      account: {
        id: options.accountId ?? '01a7362d577a6c3019a474fd6f485823',
        name: 'certkeeper test account',
      },
      createdOn: new Date().toISOString(),
    };
    this.zones.set(zone.id, zone);
    return zone;
  }

  recordsOf(zoneId: string): FakeDnsRecord[] {
    return [...this.records.values()].filter((record) => record.zoneId === zoneId);
  }

  /**
   * Creates a record. Names may be relative (`www`), `@`, or fully qualified; they are stored fully qualified.
   * A record equal in type, name and content to an existing one is refused with 81058, as the API does.
   */
  create(zone: FakeCloudflareZone, input: Record<string, unknown>): FakeDnsRecord {
    const type = typeof input.type === 'string' ? input.type : '';
    const rawName = typeof input.name === 'string' ? input.name.toLowerCase().replace(/\.$/, '') : '';
    const content = typeof input.content === 'string' ? input.content : '';
    const ttl = input.ttl === undefined ? 1 : input.ttl;
    if (!type || !rawName) throw new CloudflareFault(400, [{ code: 9000, message: 'DNS name is invalid.' }]);
    const name =
      rawName === '@'
        ? zone.name
        : rawName === zone.name || rawName.endsWith(`.${zone.name}`)
          ? rawName
          : `${rawName}.${zone.name}`;
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || (ttl !== 1 && (ttl < 60 || ttl > 86400)))
      throw new CloudflareFault(400, [
        { code: 9021, message: 'Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.' },
      ]);
    if (type === 'TXT' && (content === '' || content.length > 2048))
      throw new CloudflareFault(400, [
        { code: 1004, message: 'DNS Validation Error' },
        { code: 9009, message: 'Content for TXT record is invalid.' },
      ]);
    const identical = this.recordsOf(zone.id).some(
      (record) =>
        record.type === type &&
        record.name === name &&
        decodeContent(record.content) === decodeContent(content),
    );
    if (identical)
      throw new CloudflareFault(400, [{ code: 81058, message: 'An identical record already exists.' }]);
    const now = new Date().toISOString();
    const record: FakeDnsRecord = {
      id: hexId(),
      zoneId: zone.id,
      name,
      type,
      content,
      ttl,
      proxied: input.proxied === true,
      comment: typeof input.comment === 'string' ? input.comment : null,
      createdOn: now,
      modifiedOn: now,
    };
    this.records.set(record.id, record);
    return record;
  }
}
