import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import type { Identifier } from '@certkeeper/core';
import type * as Tldts from 'tldts';

let loaded: typeof Tldts | undefined;

/**
 * tldts, loaded when a name's registered domain is first needed. Evaluating it (the Public Suffix List's tries)
 * takes ≈ 10 ms of CPU at start-up, which a `renew` that finds every certificate fresh never needs (issue 13).
 * `require`, not an import, so lookups stay synchronous: the CLI's bundler (esbuild) sees the global
 * `require('tldts')` and bundles tldts as a module evaluated on this first call; unbundled (the library, tests)
 * there is no global `require` in an ES module, and createRequire loads the installed package.
 */
function tldts(): typeof Tldts {
  loaded ??= (
    typeof require === 'function' ? require('tldts') : createRequire(import.meta.url)('tldts')
  ) as typeof Tldts;
  return loaded;
}

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
  return tldts().getDomain(name, { allowPrivateDomains: true }) ?? name.split('.').slice(-2).join('.');
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
