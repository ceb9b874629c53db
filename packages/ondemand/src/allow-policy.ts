import { parseIdentifiers } from '@certkeeper/core';

/**
 * Which names may get a certificate on their first handshake (Caddy's `ask`):
 * - a name (`app.example.test`) or a pattern (`*.example.test`: exactly one more label, as in a certificate), or a
 *   list of them;
 * - a function, sync or async, answering for one name (look it up in your customer table). It throwing, or not
 *   answering within `allowTimeoutMs`, counts as no.
 *
 * Names reach the policy normalised: lower case, no trailing dot, punycode.
 */
export type AllowPolicy = string | readonly string[] | ((name: string) => boolean | Promise<boolean>);

/**
 * The policy as one function. List entries are checked and normalised once, here, as certificate names: an invalid
 * one, or a pattern over a whole top-level domain (`*.com`), throws InvalidIdentifierError.
 */
export function compileAllowPolicy(policy: AllowPolicy): (name: string) => boolean | Promise<boolean> {
  if (typeof policy === 'function') return policy;
  const exact = new Set<string>();
  const parents = new Set<string>();
  for (const entry of parseIdentifiers(typeof policy === 'string' ? [policy] : policy)) {
    if (entry.type !== 'dns') exact.add(entry.value);
    else if (entry.wildcard) parents.add(entry.value.slice(2));
    else exact.add(entry.value);
  }
  return (name) => {
    if (exact.has(name)) return true;
    const dot = name.indexOf('.');
    return dot > 0 && parents.has(name.slice(dot + 1));
  };
}
