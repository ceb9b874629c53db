import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/** The label RFC 8555 §8.4 prepends to the validated name. */
export const ACME_CHALLENGE_LABEL = '_acme-challenge';

/**
 * Canonical form of a domain name used throughout this package: lower case, no trailing dot, A-labels only.
 * Comparing names in any other form is how "example.test." and "Example.test" end up as two zones.
 *
 * @throws CertkeeperError INVALID_OPTION when the name is empty, has empty labels or breaks RFC 1035 lengths.
 */
export function normalizeName(name: string): string {
  const trimmed = name.trim().toLowerCase().replace(/\.$/, '');
  const labels = trimmed.split('.');
  const problem =
    trimmed === ''
      ? 'it is empty'
      : labels.some((label) => label === '')
        ? 'it has an empty label'
        : labels.some((label) => label.length > 63)
          ? 'a label is longer than 63 octets'
          : trimmed.length > 253
            ? 'it is longer than 253 octets'
            : undefined;
  if (problem) {
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, `DNS name "${name}" is not valid: ${problem}.`, {
      hint: 'Pass a fully qualified name such as "www.example.test" (A-labels for internationalised names).',
    });
  }
  return trimmed;
}

/**
 * The name that carries the TXT record for an identifier. For a wildcard (`*.example.test`) it is the base name's
 * (RFC 8555 §8.4), so an apex and its wildcard share one name:
 * - dns-01: `_acme-challenge.example.test`;
 * - dns-account-01 (given the account label): `_<label>._acme-challenge.example.test`
 *   (draft-ietf-acme-dns-account-label §3), one name per account, so accounts never touch each other's records.
 *
 * @throws CertkeeperError INVALID_OPTION when the name is not valid or the label is not a base32 label.
 */
export function challengeName(identifierValue: string, accountLabel?: string): string {
  const base = normalizeName(identifierValue).replace(/^\*\./, '');
  if (accountLabel === undefined) return `${ACME_CHALLENGE_LABEL}.${base}`;
  if (!/^[a-z2-7]{1,62}$/.test(accountLabel)) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `"${accountLabel}" is not a dns-account-01 account label (lower-case base32) for ${identifierValue}.`,
      {
        hint: 'Compute it with dnsAccountLabel(accountUrl) from @certkeeper/core; the engine does this itself.',
      },
    );
  }
  return normalizeName(`_${accountLabel}.${ACME_CHALLENGE_LABEL}.${base}`);
}

/** Whether `name` equals `zone` or lies below it. Both must be normalised. */
export function isInZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** `name` relative to `zone`, `'@'` for the apex (libdns convention). Both must be normalised. */
export function relativeName(name: string, zone: string): string {
  if (name === zone) return '@';
  if (!isInZone(name, zone)) {
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, `DNS name "${name}" is not inside zone "${zone}".`, {
      hint: 'Pass the zone that holds the name (see ZoneLocator.locate).',
    });
  }
  return name.slice(0, -(zone.length + 1));
}

/** The fully qualified form of a zone-relative name (`'@'` or `''` is the apex). */
export function absoluteName(relative: string, zone: string): string {
  const name = relative.trim().toLowerCase().replace(/\.$/, '');
  if (name === '@' || name === '') return zone;
  return normalizeName(`${name}.${zone}`);
}

/** The name one label up, or undefined at a top-level label. */
export function parentName(name: string): string | undefined {
  const dot = name.indexOf('.');
  return dot < 0 ? undefined : name.slice(dot + 1);
}
