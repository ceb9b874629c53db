import { readDnsName } from './dns-name.js';
import type { Identifier, NormalizedIdentifier } from './identifier.js';
import { formatIdentifier } from './identifier.js';
import { type IdentifierProblem, InvalidIdentifierError } from './invalid-identifier-error.js';
import { isIpv4MappedIpv6, looksLikeIpLiteral, readIpLiteral } from './ip-literal.js';
import { reservedIpReason } from './reserved-ip.js';

type Parsed = { ok: true; identifier: NormalizedIdentifier } | { ok: false; reasons: readonly string[] };

/**
 * Checks and normalises the identifiers of an order before anything is sent to a CA.
 *
 * - A string that is an IPv4/IPv6 literal (`[::1]` brackets accepted) becomes an `ip` identifier in canonical
 *   form (RFC 8738 §3); any other string is a `dns` name.
 * - DNS names are normalised as described in {@link readDnsName}: trailing dot removed, unicode to punycode
 *   (the input is kept in `display`), lower case, length and character rules, wildcard only as `*.` prefix.
 * - Single-label names (`test`) and addresses that name no single host (0.0.0.0, ::, multicast, broadcast,
 *   240.0.0.0/4) are refused; loopback and private addresses are kept for private CAs (see reserved-ip.ts).
 * - `{ type: 'dns' }` with an IP literal is refused: CAs validate IPs only as `ip` identifiers.
 * - Two inputs that normalise to the same identifier are refused, naming both.
 *
 * The result keeps the input order. Every problem of every input is collected first and thrown together.
 *
 * @throws {InvalidIdentifierError} (`CERTKEEPER_ERR_INVALID_IDENTIFIER`) listing each refused input and why.
 */
export function parseIdentifiers(input: ReadonlyArray<string | Identifier>): NormalizedIdentifier[] {
  if (input.length === 0) {
    throw new InvalidIdentifierError([{ input: '(none)', reason: 'an order needs at least one identifier' }]);
  }
  const problems: IdentifierProblem[] = [];
  const identifiers: NormalizedIdentifier[] = [];
  const firstInputOf = new Map<string, string>();
  for (const item of input) {
    const shown = describeInput(item);
    const parsed = parseOne(item);
    if (!parsed.ok) {
      problems.push({ input: shown, reason: parsed.reasons.join('; ') });
      continue;
    }
    const key = `${parsed.identifier.type}:${parsed.identifier.value}`;
    const earlier = firstInputOf.get(key);
    if (earlier !== undefined) {
      const reason = `duplicates ${earlier}: both normalise to ${formatIdentifier(parsed.identifier)}`;
      problems.push({ input: shown, reason });
      continue;
    }
    firstInputOf.set(key, shown);
    identifiers.push(parsed.identifier);
  }
  if (problems.length > 0) throw new InvalidIdentifierError(problems);
  return identifiers;
}

function parseOne(item: unknown): Parsed {
  if (typeof item === 'string') {
    return looksLikeIpLiteral(item) ? parseIp(item) : parseDns(item);
  }
  if (typeof item !== 'object' || item === null) {
    return { ok: false, reasons: ['expected a name, an IP address or a { type, value } object'] };
  }
  const { type, value } = item as { type?: unknown; value?: unknown };
  if (typeof value !== 'string') return { ok: false, reasons: ['"value" must be a string'] };
  if (type === 'ip') return parseIp(value);
  if (type !== 'dns') return { ok: false, reasons: ['"type" must be "dns" or "ip"'] };
  if (looksLikeIpLiteral(value)) {
    return { ok: false, reasons: ['IP literal given as a dns name — use type ip'] };
  }
  return parseDns(value);
}

function parseDns(value: string): Parsed {
  if (isWildcardIp(value)) return wildcardIp;
  const name = readDnsName(value);
  if (!name.ok) return name;
  return {
    ok: true,
    identifier: { type: 'dns', value: name.value, display: value, wildcard: name.wildcard },
  };
}

function parseIp(value: string): Parsed {
  if (isWildcardIp(value)) return wildcardIp;
  const ip = readIpLiteral(value);
  if (!ip.ok) return { ok: false, reasons: [ip.reason] };
  if (ip.version === 6 && isIpv4MappedIpv6(ip.value)) {
    // CAs validate the IPv4 address behind it; ordering it as IPv6 fails or duplicates the IPv4 identifier.
    return { ok: false, reasons: ['an IPv4-mapped IPv6 address; order the IPv4 address itself'] };
  }
  const reserved = reservedIpReason(ip.value, ip.version);
  if (reserved) return { ok: false, reasons: [reserved] };
  return { ok: true, identifier: { type: 'ip', value: ip.value, display: value, wildcard: false } };
}

// `*.192.0.2.1` would otherwise read as a DNS name whose last label is all digits: say what it really is.
const wildcardIp: Parsed = {
  ok: false,
  reasons: [
    'an IP address cannot be a wildcard (RFC 8738 §3: an ip identifier is one address); order the address itself',
  ],
};

function isWildcardIp(value: string): boolean {
  return value.startsWith('*.') && looksLikeIpLiteral(value.slice(2));
}

/** Renders an input for a message: quoted, shortened, never `[object Object]`. */
function describeInput(item: unknown): string {
  const shorten = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}...` : text);
  if (typeof item === 'string') return JSON.stringify(shorten(item));
  if (typeof item === 'object' && item !== null) {
    const { type, value } = item as { type?: unknown; value?: unknown };
    const shownValue = typeof value === 'string' ? JSON.stringify(shorten(value)) : typeof value;
    return `{ type: ${typeof type === 'string' ? JSON.stringify(type) : typeof type}, value: ${shownValue} }`;
  }
  return `(${typeof item})`;
}
