import { looksLikeSecretName } from '@certkeeper/core';
import {
  absoluteName,
  assertValidRecord,
  type DnsProvider,
  type DnsRecord,
  normalizeName,
  type ProviderCallOptions,
  providerFailed,
  type RecordFilter,
  relativeName,
} from '@certkeeper/dns';
import { PROVIDER_NAME } from './exit-codes.js';
import { HookRunner } from './hook-runner.js';
import { type ExecOptions, type ResolvedOptions, resolveOptions } from './options.js';
import type { RunResult } from './run-program.js';

/** Listing output may be long; it is capped all the same. */
const LIST_OUTPUT_LIMIT = 1024 * 1024;

/**
 * Runs the user's program to publish and remove records, with lego's exec-provider arguments so existing hook
 * scripts keep working:
 *
 * - create: `<program> present <fqdn.> <value> [<ttl>]`; delete: `<program> cleanup <fqdn.> <value>`. The FQDN
 *   ends with a dot, as lego passes it. Arguments go to the program directly (never through a shell).
 * - The program MUST exit 0 on success and MUST treat "present" of a value that exists and "cleanup" of a value
 *   that is gone as success; it MUST add a value next to the others at that name, never replace them.
 * - A non-zero exit becomes a typed error carrying the end of stderr; exit 77 / 68 / 75 map to
 *   `DNS_PROVIDER_UNAUTHORIZED` / `DNS_ZONE_NOT_FOUND` / a retryable failure (see {@link EXIT_CODES}).
 * - `listRecords` works only when the program implements the `list` action (`list: true`); without it,
 *   `deleteRecord` cannot know whether the value was there and resolves `true` after a successful cleanup.
 */
export class ExecDnsProvider implements DnsProvider {
  readonly name = PROVIDER_NAME;
  private readonly options: ResolvedOptions;
  private readonly runner: HookRunner;

  constructor(options: ExecOptions) {
    this.options = resolveOptions(options);
    // `env` carries the program's credentials (lego's exec convention); values under a credential-like name
    // are registered, so a hook that prints its environment on failure leaks nothing.
    for (const [name, value] of Object.entries(this.options.env))
      if (looksLikeSecretName(name)) this.options.redactor.register(value);
    this.runner = new HookRunner(this.options);
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { apex, fqdn } = this.locate(zone, record);
    const args = [
      'present',
      `${fqdn}.`,
      record.value,
      ...(this.options.ttlArgument ? [String(record.ttl)] : []),
    ];
    await this.run(args, apex, record, options);
    return { name: record.name, type: 'TXT', value: record.value, ttl: record.ttl };
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const { apex, fqdn } = this.locate(zone, record);
    const existed = this.options.list
      ? (await this.listRecords(apex, { name: record.name }, options)).some(
          (found) => found.value === record.value,
        )
      : true;
    await this.run(['cleanup', `${fqdn}.`, record.value], apex, record, options);
    return existed;
  }

  async listRecords(
    zone: string,
    filter: RecordFilter = {},
    options?: ProviderCallOptions,
  ): Promise<DnsRecord[]> {
    const apex = normalizeName(zone);
    if (!this.options.list) {
      throw providerFailed(
        this.name,
        `list records in zone ${apex}`,
        `"${this.options.program}" has no list action configured (option list: true, and the program prints "<fqdn.> <ttl> <value>" lines for "list <zone.> [<fqdn.>]")`,
        { retryable: false },
      );
    }
    if (filter.type !== undefined && filter.type !== 'TXT') return [];
    const fqdn = filter.name === undefined ? undefined : absoluteName(filter.name, apex);
    const result = await this.run(
      ['list', `${apex}.`, ...(fqdn ? [`${fqdn}.`] : [])],
      apex,
      undefined,
      options,
      LIST_OUTPUT_LIMIT,
    );
    return parseListing(result.stdout, apex).filter(
      (record) => fqdn === undefined || absoluteName(record.name, apex) === fqdn,
    );
  }

  private locate(zone: string, record: DnsRecord): { apex: string; fqdn: string } {
    const apex = normalizeName(zone);
    assertValidRecord(apex, record);
    return { apex, fqdn: absoluteName(record.name, apex) };
  }

  private run(
    args: string[],
    apex: string,
    record: DnsRecord | undefined,
    options: ProviderCallOptions | undefined,
    outputLimit?: number,
  ): Promise<RunResult> {
    return this.runner.run({
      args,
      zone: apex,
      mode: '',
      env: record
        ? {
            CERTKEEPER_RECORD_NAME: record.name,
            CERTKEEPER_FQDN: absoluteName(record.name, apex),
            CERTKEEPER_VALUE: record.value,
            CERTKEEPER_TTL: String(record.ttl),
          }
        : {},
      ...(options?.signal ? { signal: options.signal } : {}),
      ...(outputLimit ? { outputLimit } : {}),
    });
  }
}

/** Parses `<fqdn.> <ttl> <value>` lines; the value is the rest of the line, so it may hold spaces. */
function parseListing(stdout: string, apex: string): DnsRecord[] {
  const records: DnsRecord[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^(\S+)\s+(\d+)\s+(.+)$/.exec(line.trim());
    if (!match) continue;
    const fqdn = normalizeName(match[1]!);
    if (fqdn !== apex && !fqdn.endsWith(`.${apex}`)) continue;
    records.push({ name: relativeName(fqdn, apex), type: 'TXT', value: match[3]!, ttl: Number(match[2]) });
  }
  return records;
}
