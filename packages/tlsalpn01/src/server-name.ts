import { type Identifier, readIpLiteral } from '@certkeeper/core';

/**
 * The TLS server name (SNI) a CA sends when it validates `identifier` with tls-alpn-01: the DNS name itself
 * (RFC 8737 §3), or for an IP address its reverse-DNS name (RFC 8738 §6: `4.3.2.1.in-addr.arpa`, or the 32
 * nibbles of an IPv6 address under `ip6.arpa`), because SNI cannot carry an IP literal. Lower case.
 */
export function challengeServerName(identifier: Identifier): string {
  if (identifier.type !== 'ip') return normalizeServerName(identifier.value);
  const ip = readIpLiteral(identifier.value);
  if (!ip.ok) return normalizeServerName(identifier.value);
  if (ip.version === 4) return `${ip.value.split('.').reverse().join('.')}.in-addr.arpa`;
  return `${expandIpv6(ip.value).split('').reverse().join('.')}.ip6.arpa`;
}

/** How a received server name is compared: lower case, without a trailing dot. */
export function normalizeServerName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** The 32 hexadecimal digits of a canonical IPv6 address (an embedded IPv4 tail included). */
function expandIpv6(canonical: string): string {
  let text = canonical;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const middle = Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...middle, ...right].map((group) => group.padStart(4, '0')).join('');
}
