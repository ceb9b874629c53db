import { isIPv4, isIPv6 } from 'node:net';

/** The outcome of reading an IP literal: its canonical text, or why it is not one. */
export type IpLiteral =
  | { readonly ok: true; readonly value: string; readonly version: 4 | 6 }
  | { readonly ok: false; readonly reason: string };

/**
 * Whether `text` is an IPv4 or IPv6 literal (brackets and a zone id included), so callers can tell an IP that
 * cannot be used apart from a DNS name.
 */
export function looksLikeIpLiteral(text: string): boolean {
  const bare = stripBrackets(text);
  // Every IPv6 text form has a colon. Testing for it first spares a DNS name node:net's IPv6 pattern, which V8
  // compiles on its first use: ≈ 4 ms of a cold `issue` or `renew` (issue 13).
  return isIPv4(bare) || (bare.includes(':') && isIPv6(bare));
}

/**
 * Reads an IP literal and returns its canonical text: dotted decimal for IPv4, RFC 5952 §4 for IPv6 (lower case,
 * longest run of zero groups compressed), which is the form RFC 8738 §3 asks for in `ip` identifiers.
 * `[::1]` brackets are accepted. Zone ids (`fe80::1%eth0`) are refused: they name an interface of this host
 * and mean nothing to a CA.
 */
export function readIpLiteral(text: string): IpLiteral {
  const bare = stripBrackets(text);
  if (isIPv4(bare)) {
    // node:net refuses leading zeros, so each part is a plain decimal; Number() drops nothing that matters.
    return { ok: true, value: bare.split('.').map(Number).join('.'), version: 4 };
  }
  if (!isIPv6(bare)) {
    return { ok: false, reason: 'not an IPv4 or IPv6 address' };
  }
  if (bare.includes('%')) {
    return { ok: false, reason: 'IPv6 zone ids (the part after "%") are local to this host; remove it' };
  }
  // The WHATWG URL serializer implements RFC 5952 §4 compression; the brackets are part of its host form.
  const host = new URL(`http://[${bare}]/`).hostname;
  return { ok: true, value: host.slice(1, -1), version: 6 };
}

/** True for `::ffff:a.b.c.d`: the same endpoint as the IPv4 address, which is what a CA validates. */
export function isIpv4MappedIpv6(canonicalIpv6: string): boolean {
  return /^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(canonicalIpv6);
}

function stripBrackets(text: string): string {
  return text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
}
