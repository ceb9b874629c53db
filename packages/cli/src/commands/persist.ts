import {
  CertkeeperError,
  dnsPersistRecordName,
  dnsPersistRecordValue,
  ErrorCodes,
  parseIdentifiers,
} from '@certkeeper/core';
import type { PropagationResult } from '@certkeeper/dns';
import { AccountOperations } from '@certkeeper/manager';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { openRuntime } from '../runtime/open-runtime.js';
import { PersistRecordsFile } from '../runtime/persist-records-file.js';
import { TermsAgreement, terminalTermsIo } from '../runtime/terms-agreement.js';
import { type CommandContext, settingsOf } from './context.js';

export type PersistAction = 'show' | 'publish' | 'check';

export interface PersistOptions {
  /** The issuer domain name to write (default: the first of the CA's `caaIdentities`). */
  readonly issuer?: string;
  /** `persistUntil`: an ISO 8601 date or time, or `<n>d` from now. */
  readonly persistUntil?: string;
}

interface PersistName {
  /** Base name (a wildcard's record sits at its base). */
  readonly name: string;
  /** A `*.` form was asked for: the record carries policy=wildcard (it covers the base name too). */
  readonly wildcard: boolean;
}

/**
 * `certkeeper persist show|publish|check <names…>`: the standing dns-persist-01 record (draft-ietf-acme-dns-persist-00)
 * of the configured account at the configured CA. `show` prints it for manual setup; `publish` writes it once
 * through the DNS solver's provider and waits until every authoritative server has it (and remembers its
 * persistUntil for `status`); `check` asks every authoritative server, read-only, and exits 1 naming those that
 * lack a record authorizing the account.
 */
export async function persistCommand(
  context: CommandContext,
  action: PersistAction,
  names: readonly string[],
  options: PersistOptions = {},
): Promise<ExitCodeValue> {
  const now = new Date();
  const persistUntil = options.persistUntil ? parsePersistUntil(options.persistUntil, now) : undefined;
  const targets = persistNames(names);
  const settings = await settingsOf(context);
  if (action !== 'show' && !settings.solvers.some((spec) => spec.type === 'dns-01'))
    throw new CertkeeperError(
      ErrorCodes.CONFIG_INVALID,
      `persist ${action} needs a DNS solver (its zone discovery${action === 'publish' ? ' and provider' : ''}); none is configured. Nothing was done.`,
      {
        hint: 'add --dns <plugin>, or a dns-01 solver in the config file (solvers: [{ type: dns-01, provider: <plugin> }]); `persist show` prints the record without one.',
      },
    );
  const runtime = await openRuntime(settings, {
    logger: context.logger,
    terms: new TermsAgreement(
      settings,
      terminalTermsIo((line) => context.stderr.write(`${line}\n`)),
    ),
    solvers: action !== 'show',
    env: context.env,
    cwd: context.cwd,
    warn: context.warn,
    command: `persist ${action}`,
  });
  try {
    const operations = new AccountOperations({
      options: runtime.managerOptions,
      store: runtime.store,
      logger: context.logger,
    });
    // The record names the account URL exactly as the CA gave it: register (or confirm) the account first.
    const { accountUrl } = await operations.register();
    const caIssuers = (await operations.directoryMeta()).caaIdentities ?? [];
    const issuers = options.issuer ? [options.issuer] : caIssuers;
    if (issuers.length === 0)
      throw new CertkeeperError(
        ErrorCodes.CONFIG_INVALID,
        `The CA at ${settings.directoryUrl} names no issuer domain (its directory has no meta.caaIdentities). Nothing was done.`,
        {
          hint: "give the CA's issuer domain name with --issuer <domain> (the CA's documentation names it).",
        },
      );
    const records = targets.map((target) => ({
      ...target,
      recordName: dnsPersistRecordName(target.name),
      value: dnsPersistRecordValue({
        issuerDomainName: issuers[0]!,
        accountUri: accountUrl,
        wildcard: target.wildcard,
        ...(persistUntil ? { persistUntil } : {}),
      }),
      ...(persistUntil ? { persistUntil: persistUntil.toISOString() } : {}),
    }));
    const base = { event: 'persist', action, accountUrl, issuerDomainNames: issuers };

    if (action === 'show') {
      context.print(
        [
          `Create ${records.length === 1 ? 'this TXT record' : 'these TXT records'} once; ${records.length === 1 ? 'it stays' : 'they stay'} (account ${accountUrl}):`,
          ...records.map((record) => `  ${record.recordName}.  TXT  "${record.value}"`),
          'Then: certkeeper persist check <names>, and turn on dnsPersist01 (or --dns-persist-01) for the DNS solver.',
        ].join('\n'),
        { ...base, records },
      );
      return ExitCode.OK;
    }

    const { DnsPersistRecords } = await import('@certkeeper/dns');
    const machinery = await dnsMachinery(runtime.solvers.solvers);
    if (action === 'publish') {
      const publication = await new DnsPersistRecords(machinery).publish(records);
      if (publication.result.status === 'failed') throw publication.result.error;
      const publishedAt = new Date().toISOString();
      await new PersistRecordsFile(settings.storeDirectory).remember(
        records.map((record) => ({
          directoryUrl: settings.directoryUrl,
          accountUrl,
          name: record.name,
          wildcard: record.wildcard,
          recordName: record.recordName,
          value: record.value,
          ...(record.persistUntil ? { persistUntil: record.persistUntil } : {}),
          publishedAt,
        })),
      );
      context.print(
        [
          `published ${publication.created.length} dns-persist-01 record(s), ${publication.unchanged} already in place, ${publication.replaced.length} older one(s) replaced; every authoritative server has them:`,
          ...records.map((record) => `  ${record.recordName}.  TXT  "${record.value}"`),
          'Orders with dnsPersist01 (or --dns-persist-01) now answer dns-persist-01 without writing to DNS.',
        ].join('\n'),
        {
          ...base,
          records,
          created: publication.created.length,
          unchanged: publication.unchanged,
          replaced: publication.replaced.map(({ record }) => record.value),
        },
      );
      return ExitCode.OK;
    }

    const result = await new DnsPersistRecords(machinery).check(
      targets.map((target) => ({ ...target, issuerDomainNames: issuers, accountUri: accountUrl })),
    );
    context.print(describeCheck(result, records), {
      ...base,
      ok: result.status === 'ready',
      servers: result.servers.map((server) => ({
        nameserver: server.nameserver,
        address: server.address,
        name: server.name,
        ok: server.ready,
        values: server.values,
        ...(server.error ? { error: server.error } : {}),
      })),
    });
    return result.status === 'ready' ? ExitCode.OK : ExitCode.FAILED;
  } finally {
    await runtime.close();
  }
}

/** The DNS solver's provider, discovery, checker and TTL (the first dns-01 solver configured). */
async function dnsMachinery(solvers: readonly unknown[]) {
  const { Dns01Solver } = await import('@certkeeper/dns');
  const solver = solvers.find((candidate) => candidate instanceof Dns01Solver);
  if (!solver)
    throw new CertkeeperError(ErrorCodes.CONFIG_INVALID, 'No DNS solver was built for this command.', {
      hint: 'add --dns <plugin>, or a dns-01 solver in the config file.',
    });
  return solver as InstanceType<typeof Dns01Solver>;
}

function describeCheck(
  result: PropagationResult,
  records: readonly { recordName: string; value: string }[],
): string {
  if (result.status === 'ready')
    return `ok: all ${result.servers.length} authoritative answers carry a dns-persist-01 record authorizing this account at ${records.map((record) => record.recordName).join(', ')}.`;
  return [
    `missing: ${result.lagging.length} of ${result.servers.length} authoritative answers lack a dns-persist-01 record authorizing this account:`,
    ...result.lagging.map(
      (server) =>
        `  ${server.nameserver} ${server.address} for ${server.name}: ${server.error ? `no answer (${server.error})` : `${server.rcode}, returned [${server.values.map((value) => JSON.stringify(value)).join(', ')}]`}`,
    ),
    `Expected, for example: ${records.map((record) => `${record.recordName}. TXT "${record.value}"`).join('; ')}`,
    'Publish it with `certkeeper persist publish <names>` (or by hand), then check again.',
  ].join('\n');
}

/**
 * Names to base names (checked and IDNA-converted as for an order), a base and its wildcard sharing one record
 * (with policy=wildcard).
 */
function persistNames(names: readonly string[]): PersistName[] {
  const byBase = new Map<string, boolean>();
  for (const identifier of parseIdentifiers(names)) {
    if (identifier.type !== 'dns')
      throw new CertkeeperError(
        ErrorCodes.CONFIG_INVALID,
        `${identifier.display} is an IP address; dns-persist-01 proves DNS names only. Nothing was done.`,
        {
          hint: 'give DNS names such as example.com or *.example.com; prove IP addresses with http-01 or tls-alpn-01.',
        },
      );
    const base = identifier.value.replace(/^\*\./, '');
    byBase.set(base, (byBase.get(base) ?? false) || identifier.wildcard);
  }
  return [...byBase].map(([name, wildcard]) => ({ name, wildcard }));
}

/** `--persist-until`: `<n>d` from now, or an ISO 8601 date/time in the future. */
export function parsePersistUntil(value: string, now: Date): Date {
  const days = /^(\d+)d$/.exec(value.trim());
  const date = days ? new Date(now.getTime() + Number(days[1]) * 86_400_000) : new Date(value);
  if (Number.isNaN(date.getTime()) || date <= now)
    throw new CertkeeperError(
      ErrorCodes.CONFIG_INVALID,
      `--persist-until ${value} is not a future date; nothing was done.`,
      { hint: 'give an ISO 8601 date (2027-06-30) or a number of days (365d).' },
    );
  return date;
}
