import type { Identifier } from './identifier.js';
import { readIpLiteral } from './ip-literal.js';

/**
 * An identifier as certificates and CSRs are compared: DNS names in lower case without a trailing dot, IP addresses
 * in canonical text form (RFC 5952 for IPv6). Values that do not parse are kept as they are, so they simply differ.
 */
export function canonicalIdentifier(type: Identifier['type'], value: string): Identifier {
  if (type === 'ip') {
    const ip = readIpLiteral(value);
    return { type, value: ip.ok ? ip.value : value };
  }
  return { type, value: value.toLowerCase().replace(/\.$/, '') };
}
