/**
 * The standing TXT record of dns-persist-01, as draft-ietf-acme-dns-persist-00 defines it and Pebble 2.10.0's
 * validation authority (va.validateDNSPersist01) checks it:
 *
 *   _validation-persist.<domain>  TXT  "<issuer-domain-name>; accounturi=<account URL>[; policy=wildcard][; persistUntil=<unix seconds>]"
 *
 * The value is an RFC 8659 issue-value: the issuer domain name, then `tag=value` parameters separated by `;`
 * (tags case-insensitive, values free of whitespace). One record per CA and account; it stays in DNS, and every
 * later validation of the name (and, with `policy=wildcard`, of `*.<domain>`) by that account at that CA reads it.
 */

/** The label the draft puts the record under. */
export const DNS_PERSIST_LABEL = '_validation-persist';

export interface DnsPersistRecordFields {
  /** One of the CA's issuer domain names (the challenge's `issuer-domain-names`, the directory's `caaIdentities`). */
  readonly issuerDomainName: string;
  /** The account URL exactly as the CA gave it (`Location` of newAccount): the CA compares it byte for byte. */
  readonly accountUri: string;
  /** Also authorize `*.<domain>` (`policy=wildcard`). */
  readonly wildcard?: boolean;
  /** After this moment the CA ignores the record (`persistUntil`, whole seconds since the epoch). */
  readonly persistUntil?: Date;
}

/** `_validation-persist.<domain>` for a name or its wildcard (a wildcard's record sits at its base name). */
export function dnsPersistRecordName(name: string): string {
  return `${DNS_PERSIST_LABEL}.${name.toLowerCase().replace(/\.$/, '').replace(/^\*\./, '')}`;
}

/** The record's value, parameters in the draft's order. */
export function dnsPersistRecordValue(fields: DnsPersistRecordFields): string {
  return [
    fields.issuerDomainName,
    `accounturi=${fields.accountUri}`,
    ...(fields.wildcard ? ['policy=wildcard'] : []),
    ...(fields.persistUntil ? [`persistUntil=${Math.floor(fields.persistUntil.getTime() / 1000)}`] : []),
  ].join('; ');
}

export type ParsedDnsPersistRecord =
  | ({ readonly ok: true } & Required<Pick<DnsPersistRecordFields, 'issuerDomainName' | 'accountUri'>> & {
        readonly wildcard: boolean;
        readonly persistUntil?: Date;
      })
  | { readonly ok: false; readonly issuerDomainName?: string; readonly reason: string };

const isWsp = (char: string) => char === ' ' || char === '\t';
const trimWsp = (text: string) => {
  let start = 0;
  let end = text.length;
  while (start < end && isWsp(text[start]!)) start++;
  while (end > start && isWsp(text[end - 1]!)) end--;
  return text.slice(start, end);
};

/**
 * Reads a TXT value the way the CA does (Pebble 2.10.0's parseDNSPersistIssueValues): an empty parameter, a
 * parameter without `=`, a repeated tag, a value with whitespace or non-ASCII, a missing `accounturi` or a
 * non-numeric `persistUntil` make it malformed; a `policy` other than `wildcard` counts as absent; unknown tags are
 * ignored.
 */
export function parseDnsPersistRecord(value: string): ParsedDnsPersistRecord {
  const [first = '', ...parameters] = value.split(';');
  const issuerDomainName = trimWsp(first);
  if (issuerDomainName === '') return { ok: false, reason: 'no issuer domain name' };
  const seen = new Set<string>();
  let accountUri: string | undefined;
  let wildcard = false;
  let persistUntil: Date | undefined;
  for (const raw of parameters) {
    const parameter = trimWsp(raw);
    const equals = parameter.indexOf('=');
    if (equals < 0) return { ok: false, issuerDomainName, reason: `malformed parameter "${parameter}"` };
    const tag = trimWsp(parameter.slice(0, equals)).toLowerCase();
    const tagValue = trimWsp(parameter.slice(equals + 1));
    if (tag === '' || seen.has(tag))
      return { ok: false, issuerDomainName, reason: `empty or repeated tag in "${parameter}"` };
    seen.add(tag);
    if (!/^[\x21-\x3a\x3c-\x7e]*$/.test(tagValue))
      return { ok: false, issuerDomainName, reason: `malformed value for ${tag}` };
    if (tag === 'accounturi') {
      if (tagValue === '') return { ok: false, issuerDomainName, reason: 'empty accounturi' };
      accountUri = tagValue;
    } else if (tag === 'policy') wildcard = tagValue.toLowerCase() === 'wildcard';
    else if (tag === 'persistuntil') {
      if (!/^-?\d+$/.test(tagValue))
        return { ok: false, issuerDomainName, reason: `malformed persistUntil "${tagValue}"` };
      persistUntil = new Date(Number(tagValue) * 1000);
    }
  }
  if (accountUri === undefined) return { ok: false, issuerDomainName, reason: 'no accounturi' };
  return { ok: true, issuerDomainName, accountUri, wildcard, ...(persistUntil ? { persistUntil } : {}) };
}

export interface DnsPersistExpectation {
  readonly issuerDomainNames: readonly string[];
  readonly accountUri: string;
  /** The record must carry `policy=wildcard` (a `*.` name is being validated). */
  readonly wildcard: boolean;
  /** The moment of validation: a record whose persistUntil is earlier no longer counts. */
  readonly at: Date;
}

/**
 * Whether one TXT value authorizes the expectation, as the CA decides it: its issuer domain name is one of the
 * CA's (compared exactly, as Pebble does), the account URL matches byte for byte, `policy=wildcard` is there for a
 * wildcard, and `persistUntil` has not passed.
 */
export function dnsPersistRecordAuthorizes(value: string, expected: DnsPersistExpectation): boolean {
  const parsed = parseDnsPersistRecord(value);
  return (
    parsed.ok &&
    expected.issuerDomainNames.includes(parsed.issuerDomainName) &&
    parsed.accountUri === expected.accountUri &&
    (!expected.wildcard || parsed.wildcard) &&
    (parsed.persistUntil === undefined || parsed.persistUntil.getTime() >= expected.at.getTime())
  );
}
