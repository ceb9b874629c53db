import { CertkeeperError, ErrorCodes, processSecretRedactor } from '@certkeeper/core';
import {
  absoluteName,
  assertValidRecord,
  type DnsProvider,
  type DnsRecord,
  KeyedMutex,
  normalizeName,
  type ProviderCallOptions,
  providerFailed,
  providerUnauthorized,
  type RecordFilter,
  relativeName,
  withProviderRetry,
  zoneNotFound,
} from '@certkeeper/dns';
import type dnsPacket from 'dns-packet';
import { type ResolvedOptions, type Rfc2136Options, resolveOptions } from './options.js';
import { PROVIDER_NAME, type Reply, type RequestContext, Rfc2136Client } from './rfc2136-client.js';
import { TsigSigner } from './tsig/tsig-signer.js';
import { encodeQuery } from './wire/query-message.js';
import { encodeUpdate, type TxtUpdate } from './wire/update-message.js';

/**
 * DNS provider for any primary that accepts RFC 2136 dynamic updates signed with TSIG (BIND, Knot, PowerDNS).
 *
 * - `createRecord` sends "add RR" and `deleteRecord` "delete this RR from the RRset" (RFC 2136 §2.5.1, §2.5.4):
 *   other values at the name are never touched, and the server makes both idempotent. Each UPDATE is applied
 *   atomically by the server, so concurrent creates from any number of processes lose nothing.
 * - `listRecords` with a name filter asks the primary for the TXT RRset (a signed, non-recursive query); without
 *   a filter it transfers the zone (AXFR), which the server must allow for the key.
 * - Every message is signed and every answer's signature checked (RFC 8945). A rejected key gives
 *   `DNS_PROVIDER_UNAUTHORIZED` naming the key (never the secret); a zone the primary does not serve gives
 *   `DNS_ZONE_NOT_FOUND`; timeouts and SERVFAIL are retried briefly, then `DNS_PROVIDER_FAILED`.
 * - The TTL of an RRset is one value (RFC 2181 §5.2): adding a value with another TTL changes the set's TTL.
 */
export class Rfc2136DnsProvider implements DnsProvider {
  readonly name = PROVIDER_NAME;
  private readonly options: ResolvedOptions;
  private readonly client: Rfc2136Client;
  private readonly locks = new KeyedMutex();

  constructor(options: Rfc2136Options) {
    this.options = resolveOptions(options);
    const redactor = options.redactor ?? processSecretRedactor();
    if (options.tsig) redactor.register(options.tsig.secret);
    this.client = new Rfc2136Client({
      server: this.options.server,
      protocol: this.options.protocol,
      timeoutMs: this.options.timeoutMs,
      signer: this.options.key
        ? new TsigSigner(this.options.key, { fudgeSeconds: this.options.fudgeSeconds })
        : undefined,
    });
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const apex = normalizeName(zone);
    assertValidRecord(apex, record);
    const fqdn = absoluteName(record.name, apex);
    await this.update(apex, { action: 'add', fqdn, value: record.value, ttl: record.ttl }, options);
    return { name: record.name, type: 'TXT', value: record.value, ttl: record.ttl };
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const apex = normalizeName(zone);
    assertValidRecord(apex, record);
    const fqdn = absoluteName(record.name, apex);
    return this.locks.run(fqdn, async () => {
      const existed = (await this.txtAt(apex, fqdn, options)).some((found) => found.value === record.value);
      // Sent even when the read saw nothing: another client may have added the value since.
      await this.update(apex, { action: 'delete', fqdn, value: record.value, ttl: 0 }, options);
      return existed;
    });
  }

  async listRecords(
    zone: string,
    filter: RecordFilter = {},
    options?: ProviderCallOptions,
  ): Promise<DnsRecord[]> {
    const apex = normalizeName(zone);
    if (filter.type !== undefined && filter.type !== 'TXT') return [];
    if (filter.name !== undefined) return this.txtAt(apex, absoluteName(filter.name, apex), options);
    return this.transfer(apex, options);
  }

  private async update(
    apex: string,
    change: TxtUpdate,
    options: ProviderCallOptions | undefined,
  ): Promise<void> {
    const context = this.context(
      `${change.action} TXT "${change.value}" at ${change.fqdn} in zone ${apex}`,
      apex,
      options,
    );
    const reply = await this.retrying(context, () =>
      this.client.exchange(() => encodeUpdate(apex, [change]), context),
    );
    if (reply.rcode === 'NOERROR') return;
    if (reply.rcode === 'NOTAUTH' || reply.rcode === 'NOTZONE' || reply.rcode === 'REFUSED') {
      throw await this.refusal(apex, reply.rcode, context, 'update');
    }
    throw providerFailed(this.name, context.operation, `${this.client.serverText} answered ${reply.rcode}`, {
      retryable: false,
    });
  }

  private async txtAt(
    apex: string,
    fqdn: string,
    options: ProviderCallOptions | undefined,
  ): Promise<DnsRecord[]> {
    const context = this.context(`read TXT at ${fqdn}`, apex, options);
    const reply = await this.retrying(context, () =>
      this.client.exchange(() => encodeQuery(fqdn, 'TXT'), context),
    );
    if (!reply.packet.flag_aa || (reply.rcode !== 'NOERROR' && reply.rcode !== 'NXDOMAIN')) {
      throw await this.refusal(apex, reply.rcode, context, 'read');
    }
    return txtRecords(reply.packet.answers, apex, (name) => name === fqdn);
  }

  private async transfer(apex: string, options: ProviderCallOptions | undefined): Promise<DnsRecord[]> {
    const context = this.context(`transfer zone ${apex} (AXFR)`, apex, options);
    const replies = await this.retrying(context, () =>
      this.client.transfer(encodeQuery(apex, 'AXFR'), context),
    );
    const failed = replies.find((reply) => reply.rcode !== 'NOERROR');
    if (failed || replies.length === 0) {
      throw await this.refusal(apex, failed?.rcode ?? 'no answer', context, 'transfer');
    }
    return txtRecords(
      replies.flatMap((reply) => reply.packet.answers ?? []),
      apex,
      () => true,
    );
  }

  /**
   * Why the server said no (NOTAUTH, REFUSED, not authoritative): asks for the zone's SOA, signed like every
   * request. No SOA → `DNS_ZONE_NOT_FOUND`; otherwise the key or its permissions were refused.
   */
  private async refusal(
    apex: string,
    rcode: string,
    context: RequestContext,
    what: 'update' | 'read' | 'transfer',
  ): Promise<Error> {
    const status = await this.zoneStatus(apex, context);
    const server = this.client.serverText;
    if (status === 'key-rejected') {
      // RFC 8945 §5.3.2 wants a TSIG RR with BADSIG/BADKEY here; PowerDNS 4.7 answers a bare NOTAUTH instead.
      return providerUnauthorized(
        this.name,
        apex,
        `${server} refused ${this.keyText()} (${rcode} without a TSIG record: the server does not know the key, or the secret or algorithm differ)`,
      );
    }
    if (status === 'absent') return zoneNotFound(this.name, apex);
    const advice =
      what === 'transfer'
        ? `listing every record needs "allow-transfer { key ${this.options.key?.name ?? '<key>'}; };" on the zone, or pass a name filter`
        : what === 'update'
          ? "the zone's update-policy (BIND) or TSIG-ALLOW-DNSUPDATE (PowerDNS) must grant this key TXT records at that name, and updates must go to the primary"
          : 'the server refuses queries from this key';
    return providerUnauthorized(
      this.name,
      apex,
      `${server} refused to ${context.operation} for ${this.keyText()} (${rcode}); ${advice}`,
    );
  }

  /** Whether the server answers authoritatively for the zone's SOA, or rejects our key outright. */
  private async zoneStatus(
    apex: string,
    context: RequestContext,
  ): Promise<'served' | 'absent' | 'key-rejected'> {
    const soa = this.context(
      `read the SOA of zone ${apex}`,
      apex,
      context.signal ? { signal: context.signal } : undefined,
    );
    const reply = await this.client
      .exchange(() => encodeQuery(apex, 'SOA'), soa)
      .catch((error: unknown) => {
        if (CertkeeperError.isInstance(error) && error.code === ErrorCodes.DNS_PROVIDER_UNAUTHORIZED)
          return 'key-rejected' as const;
        return undefined;
      });
    if (reply === 'key-rejected') return reply;
    if (reply && this.options.key && !reply.signed && reply.rcode === 'NOTAUTH') return 'key-rejected';
    const served =
      reply !== undefined &&
      reply.rcode === 'NOERROR' &&
      reply.packet.flag_aa &&
      (reply.packet.answers ?? []).some((answer) => answer.type === 'SOA' && sameName(answer.name, apex));
    return served ? 'served' : 'absent';
  }

  private servfail(context: RequestContext): Error {
    return providerFailed(this.name, context.operation, `${this.client.serverText} answered SERVFAIL`, {
      retryable: true,
    });
  }

  private keyText(): string {
    return this.options.key ? `TSIG key "${this.options.key.name}"` : 'unsigned requests';
  }

  private context(operation: string, zone: string, options: ProviderCallOptions | undefined): RequestContext {
    return { operation, zone, ...(options?.signal ? { signal: options.signal } : {}) };
  }

  /** Retries timeouts and SERVFAIL answers briefly (each attempt re-signed with a fresh id), then throws. */
  private retrying<T extends Reply | Reply[]>(context: RequestContext, call: () => Promise<T>): Promise<T> {
    return withProviderRetry(
      async () => {
        const result = await call();
        const replies: Reply[] = Array.isArray(result) ? result : [result];
        if (replies.some((reply) => reply.rcode === 'SERVFAIL')) throw this.servfail(context);
        return result;
      },
      { ...this.options.retry, ...(context.signal ? { signal: context.signal } : {}) },
    );
  }
}

function txtRecords(
  answers: readonly dnsPacket.Answer[] | undefined,
  apex: string,
  wanted: (fqdn: string) => boolean,
): DnsRecord[] {
  const records: DnsRecord[] = [];
  for (const answer of answers ?? []) {
    if (answer.type !== 'TXT') continue;
    const fqdn = answer.name.toLowerCase().replace(/\.$/, '');
    if (!wanted(fqdn)) continue;
    // One record may hold several character-strings; a CA reads them joined, so do we.
    const parts = Array.isArray(answer.data) ? answer.data : [answer.data];
    const value = parts.map((part) => (typeof part === 'string' ? part : part.toString('utf8'))).join('');
    records.push({ name: relativeName(fqdn, apex), type: 'TXT', value, ttl: answer.ttl ?? 0 });
  }
  return records;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase().replace(/\.$/, '') === b;
}
