import { domainToASCII } from 'node:url';

/** The outcome of checking one DNS name: its wire form, or every reason it cannot be used. */
export type DnsName =
  | { readonly ok: true; readonly value: string; readonly wildcard: boolean }
  | { readonly ok: false; readonly reasons: readonly string[] };

/** RFC 1035 §2.3.4 limits, counted in octets of the A-label (punycode) form. */
const MAX_LABEL_OCTETS = 63;
const MAX_NAME_OCTETS = 253;
const LDH_LABEL = /^[a-z0-9-]+$/;

/**
 * Checks and normalises a DNS name the way a CA will see it: one trailing dot removed, unicode converted to
 * A-labels (punycode, UTS #46 via `domainToASCII`), lower case, letters/digits/hyphens only (RFC 1123 §2.1),
 * labels of 1–63 octets without a leading or trailing hyphen, at most 253 octets, and a wildcard only as the
 * whole first label (RFC 8555 §7.1.3: `*.example.test`).
 *
 * Returns every problem found rather than the first, so a user fixes a name in one go.
 */
export function readDnsName(input: string): DnsName {
  const reasons: string[] = [];
  if (input.length === 0) return { ok: false, reasons: ['the name is empty'] };
  if (/\s/.test(input)) return { ok: false, reasons: ['the name contains whitespace'] };

  const name = input.endsWith('.') ? input.slice(0, -1) : input;
  const wildcard = name.startsWith('*.');
  const base = wildcard ? name.slice(2) : name;
  if (name === '*' || name === '') {
    return { ok: false, reasons: ['a name needs at least one label besides a wildcard'] };
  }
  if (base.includes('*')) {
    reasons.push('a wildcard must be the entire first label, as in "*.example.test"');
  }

  const ascii = toAscii(base);
  if (ascii === undefined) {
    return { ok: false, reasons: [...reasons, 'not a valid internationalised domain name (IDNA/punycode)'] };
  }
  const labels = ascii.split('.');
  if (labels.some((label) => label.length === 0)) reasons.push('it has an empty label (two dots in a row)');
  for (const label of labels.filter((l) => l.length > 0)) {
    if (label.length > MAX_LABEL_OCTETS) {
      reasons.push(`label "${label}" is ${label.length} octets; the limit is ${MAX_LABEL_OCTETS}`);
    }
    if (!label.includes('*') && !LDH_LABEL.test(label)) {
      reasons.push(`label "${label}" has characters other than letters, digits and hyphens`);
    }
    if (label.startsWith('-') || label.endsWith('-')) {
      reasons.push(`label "${label}" starts or ends with a hyphen`);
    }
  }
  const value = wildcard ? `*.${ascii}` : ascii;
  if (value.length > MAX_NAME_OCTETS) {
    reasons.push(`the name is ${value.length} octets; the limit is ${MAX_NAME_OCTETS}`);
  }
  // A numeric last label makes the name read as a (malformed) IPv4 address: no public name looks like that.
  if (/^[0-9]+$/.test(labels.at(-1) ?? '')) {
    reasons.push('the last label is all digits; if this is an IP address it is not a valid one');
  }
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, value, wildcard };
}

/**
 * Converts label by label, running UTS #46 (`domainToASCII`) only on labels that need it (non-ASCII, or an
 * A-label to validate): the WHATWG host parser behind it rewrites numeric names such as `1.2.3` into IPv4 form
 * and refuses `*`, which would hide the real mistake. Returns undefined when a label is not valid IDNA.
 */
function toAscii(name: string): string | undefined {
  const converted: string[] = [];
  for (const label of name.split('.')) {
    if (/^\p{ASCII}*$/u.test(label) && !/^xn--/i.test(label)) {
      converted.push(label.toLowerCase());
      continue;
    }
    const ascii = domainToASCII(label);
    if (ascii === '') return undefined;
    converted.push(ascii);
  }
  return converted.join('.');
}
