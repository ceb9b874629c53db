import { isIP } from 'node:net';
import type { Identifier } from '@certkeeper/core';
import { getDomain } from 'tldts';

/**
 * The unit Let's Encrypt's per-domain limit counts: the Public-Suffix-List registered domain of a DNS name
 * (`a.b.example.co.uk` → `example.co.uk`), the exact address of an IPv4 identifier, the /64 of an IPv6 one.
 * Boulder reads the list with its private section (shared hosting suffixes such as duckdns.org and github.io),
 * so `foo.duckdns.org` is a registered domain of its own: counting it under `duckdns.org` would charge every user
 * of the suffix to one bucket and defer renewals the CA allows.
 */
export function registeredDomainOf(identifier: Identifier): string {
  if (identifier.type === 'ip') {
    if (isIP(identifier.value) === 4) return identifier.value;
    return `${expandIpv6(identifier.value).slice(0, 4).join(':')}::/64`;
  }
  const name = identifier.value.replace(/^\*\./, '');
  // Names under a private or test TLD have no PSL entry: count them under their last two labels.
  return getDomain(name, { allowPrivateDomains: true }) ?? name.split('.').slice(-2).join('.');
}

export function registeredDomainsOf(identifiers: readonly Identifier[]): string[] {
  return [...new Set(identifiers.map(registeredDomainOf))].sort();
}

function expandIpv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...(address.includes('::') ? zeros : []), ...right].map((group) => group.padStart(4, '0'));
}
