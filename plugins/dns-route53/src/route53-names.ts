/**
 * Domain names as Route 53 spells them: absolute with a trailing dot, and any character other than `a-z`, `0-9`,
 * `-` and `_` returned as a `\ooo` octal escape (a wildcard comes back as `\052.example.com.`). Comparing names
 * without decoding is how a provider fails to find the record set it just wrote.
 */

/** `_acme-challenge.example.test` → `_acme-challenge.example.test.` (what requests carry). */
export function toRoute53Name(fqdn: string): string {
  return fqdn.endsWith('.') ? fqdn : `${fqdn}.`;
}

/** `\052.Example.test.` → `*.example.test` (this repository's canonical form: lower case, no trailing dot). */
export function fromRoute53Name(name: string): string {
  const decoded = name.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
  return decoded.toLowerCase().replace(/\.$/, '');
}
