/**
 * An ACME identifier (RFC 8555 §7.1.4, RFC 8738 for `ip`).
 *
 * `value` is always the wire form: lower-case A-labels (punycode) for `dns`, the canonical textual form for `ip`.
 */
export interface Identifier {
  readonly type: 'dns' | 'ip';
  readonly value: string;
}

/** An identifier as checked and normalised by {@link parseIdentifiers}, keeping what the user typed for display. */
export interface NormalizedIdentifier extends Identifier {
  /** The input as given (for example a unicode name), for messages and status views. */
  readonly display: string;
  /** True for `*.example.test`; the authorization is for `example.test` with `wildcard: true`. */
  readonly wildcard: boolean;
}

/** Stable, case- and order-insensitive key of an identifier set, the way CAs count "the exact same set". */
export function identifierSetKey(identifiers: readonly Identifier[]): string {
  return identifiers
    .map((identifier) => `${identifier.type}:${identifier.value.toLowerCase()}`)
    .sort()
    .join(',');
}

export function formatIdentifier(identifier: Identifier): string {
  return identifier.type === 'dns' ? identifier.value : `ip:${identifier.value}`;
}
