// A test-only DnsProvider that edits BIND through nsupdate (RFC 2136, TSIG-signed) and reads back over DNS. The
// real RFC 2136 plugin comes later; this one lets the solver and the conformance kit run against real BIND now.
import {
  absoluteName,
  type DnsProvider,
  type DnsRecord,
  formatServerAddress,
  normalizeName,
  providerFailed,
  providerUnauthorized,
  type RecordFilter,
  relativeName,
  type ServerAddress,
  WireDnsTransport,
  zoneNotFound,
} from '@certkeeper/dns';
import type { TsigKey } from './bind-servers.js';
import { findProgram, runCommand } from './run-command.js';

export class NsupdateTestProvider implements DnsProvider {
  readonly name = 'nsupdate-test';
  private readonly transport = new WireDnsTransport({ timeoutMs: 1000 });

  constructor(
    private readonly server: ServerAddress,
    private readonly key: TsigKey,
  ) {}

  async createRecord(zone: string, record: DnsRecord): Promise<DnsRecord> {
    // RFC 2136 §3.4.2.2: adding an RR whose data already exists is ignored, which makes this idempotent.
    await this.update(
      zone,
      `update add ${this.fqdn(zone, record)}. ${record.ttl} IN TXT ${quote(record.value)}`,
    );
    return record;
  }

  async deleteRecord(zone: string, record: DnsRecord): Promise<boolean> {
    const existed = (await this.values(zone, this.fqdn(zone, record))).some(
      (found) => found.value === record.value,
    );
    // Deleting a specific RR (name, type and data) leaves the rest of the RRset alone (RFC 2136 §2.5.4).
    await this.update(zone, `update delete ${this.fqdn(zone, record)}. IN TXT ${quote(record.value)}`);
    return existed;
  }

  async listRecords(zone: string, filter: RecordFilter = {}): Promise<DnsRecord[]> {
    const apex = normalizeName(zone);
    if (filter.name !== undefined) return this.values(apex, absoluteName(filter.name, apex));
    const dig = await findProgram('dig');
    if (!dig) throw new Error('dig is missing: apt-get install -y bind9-dnsutils');
    const key = `${this.key.algorithm}:${this.key.name}:${this.key.secret}`;
    const args = [
      `@${this.server.host}`,
      '-p',
      String(this.server.port),
      '-y',
      key,
      'AXFR',
      apex,
      '+noall',
      '+answer',
    ];
    const result = await runCommand(dig, args);
    if (result.code !== 0 || /Transfer failed|REFUSED|NOTAUTH/.test(result.stdout))
      throw zoneNotFound(this.name, apex);
    return result.stdout
      .split('\n')
      .map((line) => /^(\S+)\.\s+(\d+)\s+IN\s+TXT\s+"(.*)"$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => ({
        name: relativeName(match[1]!.toLowerCase(), apex),
        type: 'TXT' as const,
        value: match[3]!,
        ttl: Number(match[2]),
      }));
  }

  private fqdn(zone: string, record: DnsRecord): string {
    return absoluteName(record.name, normalizeName(zone));
  }

  private async values(zone: string, fqdn: string): Promise<DnsRecord[]> {
    const response = await this.transport.query(this.server, {
      name: fqdn,
      type: 'TXT',
      recursionDesired: false,
    });
    if (response.rcode === 'REFUSED' || !response.authoritative)
      throw zoneNotFound(this.name, normalizeName(zone));
    return response.answers
      .filter((record) => record.type === 'TXT' && record.name === fqdn)
      .map((record) => ({
        name: relativeName(fqdn, normalizeName(zone)),
        type: 'TXT' as const,
        value: record.data,
        ttl: record.ttl,
      }));
  }

  private async update(zone: string, command: string): Promise<void> {
    const nsupdate = await findProgram('nsupdate');
    if (!nsupdate) throw new Error('nsupdate is missing: apt-get install -y bind9-dnsutils');
    const script = [
      `server ${this.server.host} ${this.server.port}`,
      `zone ${normalizeName(zone)}`,
      command,
      'send',
      '',
    ].join('\n');
    const key = `${this.key.algorithm}:${this.key.name}:${this.key.secret}`;
    const result = await runCommand(nsupdate, ['-y', key], script);
    if (result.code === 0) return;
    const output = `${result.stdout}${result.stderr}`;
    if (/BADKEY|BADSIG|tsig/i.test(output)) throw providerUnauthorized(this.name, zone, 'TSIG key rejected');
    if (/NOTAUTH|NOTZONE|REFUSED/.test(output)) throw zoneNotFound(this.name, normalizeName(zone));
    throw providerFailed(
      this.name,
      `update ${formatServerAddress(this.server)}`,
      output.trim().split('\n').pop() ?? 'unknown error',
    );
  }
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
