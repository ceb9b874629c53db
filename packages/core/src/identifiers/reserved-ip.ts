import { BlockList } from 'node:net';

interface ReservedRange {
  readonly list: BlockList;
  readonly reason: string;
}

function range(network: string, prefix: number, type: 'ipv4' | 'ipv6', reason: string): ReservedRange {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, reason };
}

/**
 * Addresses that cannot name one host a CA could connect to, so no certificate can be validated for them. Loopback
 * (127.0.0.0/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7) and link-local addresses stay allowed: a
 * private CA on the same host or network validates them, and certkeeper's own tests do; public CAs refuse them
 * themselves (Let's Encrypt with `rejectedIdentifier`).
 */
const RESERVED: readonly ReservedRange[] = [
  range(
    '0.0.0.0',
    8,
    'ipv4',
    'is in 0.0.0.0/8, "this host on this network" (RFC 1122 §3.2.1.3), not an address a CA can reach',
  ),
  range('224.0.0.0', 4, 'ipv4', 'is a multicast address (224.0.0.0/4, RFC 5771), not one host'),
  range('255.255.255.255', 32, 'ipv4', 'is the limited broadcast address (RFC 919), not one host'),
  range('240.0.0.0', 4, 'ipv4', 'is in 240.0.0.0/4, reserved for future use (RFC 1112 §4), not routable'),
  range('::', 128, 'ipv6', 'is the unspecified address (RFC 4291 §2.5.2), not an address a CA can reach'),
  range('ff00::', 8, 'ipv6', 'is a multicast address (ff00::/8, RFC 4291 §2.7), not one host'),
];

/** Deprecated IPv4-compatible IPv6 addresses (`::a.b.c.d`, RFC 4291 §2.5.5.1), other than `::` and `::1`. */
const IPV4_COMPATIBLE = range('::', 96, 'ipv6', '');

/**
 * Why an IP address (canonical form) cannot be in a certificate, or undefined when it can. The first matching
 * range wins (255.255.255.255 is named as broadcast, not as part of 240.0.0.0/4).
 */
export function reservedIpReason(address: string, version: 4 | 6): string | undefined {
  const type = version === 4 ? 'ipv4' : 'ipv6';
  const match = RESERVED.find((entry) => entry.list.check(address, type));
  if (match) return `${address} ${match.reason}`;
  if (version === 6 && address !== '::1' && IPV4_COMPATIBLE.list.check(address, 'ipv6'))
    return `${address} is a deprecated IPv4-compatible IPv6 address (RFC 4291 §2.5.5.1); order the IPv4 address itself`;
  return undefined;
}
