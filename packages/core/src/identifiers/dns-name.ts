import { isValidIdnaName, labelToAscii, mapLabels } from './idna.js';

/** The outcome of checking one DNS name: its wire form, or every reason it cannot be used. */
export type DnsName =
  | { readonly ok: true; readonly value: string; readonly wildcard: boolean }
  | { readonly ok: false; readonly reasons: readonly string[] };

/** RFC 1035 §2.3.4 limits, counted in octets of the A-label (punycode) form. */
const MAX_LABEL_OCTETS = 63;
const MAX_NAME_OCTETS = 253;
const LDH_LABEL = /^[a-z0-9-]+$/;

/**
 * Checks and normalises a DNS name the way a CA will see it: one trailing dot removed, UTS #46 mapping (case,
 * width, full stops), unicode labels converted to A-labels and A-labels validated with `tr46` (see idna.ts for
 * the options and why), letters/digits/hyphens only (RFC 1123 §2.1), labels of 1–63 octets without a leading or
 * trailing hyphen and without a reserved `??--` prefix (RFC 5891 §4.2.3.1), at most 253 octets, at least two
 * labels, and a wildcard only as the whole first label (RFC 8555 §7.1.3: `*.example.test`).
 *
 * The same answers on every Node.js version: `node:url`'s `domainToASCII` follows the WHATWG URL spec, which
 * changed under us (Node 24.21+ accepts `xn--zz`), so it is not used.
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
  const labels = mapLabels(base).map((label) => checkLabel(label, reasons));
  const ascii = labels.join('.');
  if (labels.some((label) => label.length === 0)) reasons.push('it has an empty label (two dots in a row)');
  const value = wildcard ? `*.${ascii}` : ascii;
  if (value.length > MAX_NAME_OCTETS) {
    reasons.push(`the name is ${value.length} octets; the limit is ${MAX_NAME_OCTETS}`);
  }
  if (reasons.length === 0 && /xn--/.test(ascii) && !isValidIdnaName(ascii)) {
    reasons.push(
      'not a valid internationalised domain name: its labels break the Bidi rule for right-to-left scripts (RFC 5893 §2)',
    );
  }
  if (labels.length === 1 && labels[0] !== '') {
    // CAs issue only for fully qualified names (CA/Browser Forum BRs; Boulder: "Domain name needs at least one
    // dot"); `*.test` would cover a whole top-level domain.
    reasons.push(
      wildcard
        ? `"*.${labels[0]}" would cover a whole top-level domain; CAs issue wildcards only below a registered domain`
        : `"${labels[0]}" is a single label, not a fully qualified domain name; CAs issue only for names with at least two labels, e.g. "${labels[0]}.example.test"`,
    );
  }
  // A numeric last label makes the name read as a (malformed) IPv4 address: no public name looks like that.
  if (/^[0-9]+$/.test(labels.at(-1) ?? '')) {
    reasons.push('the last label is all digits; if this is an IP address it is not a valid one');
  }
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, value, wildcard };
}

/** The A-label of one mapped label, pushing each problem it has; returns the best form to keep measuring. */
function checkLabel(label: string, reasons: string[]): string {
  if (label.length === 0) return label;
  const plain = /^\p{ASCII}*$/u.test(label) && !label.startsWith('xn--');
  const ascii = plain ? label : labelToAscii(label);
  if (ascii === undefined) {
    reasons.push(
      `label "${label}" is not a valid internationalised domain name label (IDNA2008, UTS #46: a bad A-label, a disallowed character, a joiner or hyphen out of place)`,
    );
    return label;
  }
  if (ascii.length > MAX_LABEL_OCTETS) {
    reasons.push(`label "${ascii}" is ${ascii.length} octets; the limit is ${MAX_LABEL_OCTETS}`);
  }
  if (!plain) return ascii;
  if (!label.includes('*') && !LDH_LABEL.test(label)) {
    reasons.push(`label "${label}" has characters other than letters, digits and hyphens`);
  }
  if (label.startsWith('-') || label.endsWith('-')) {
    reasons.push(`label "${label}" starts or ends with a hyphen`);
  } else if (label.slice(2, 4) === '--') {
    reasons.push(
      `label "${label}" has "--" in its third and fourth characters, which is reserved for encoded labels such as "xn--" (RFC 5891 §4.2.3.1)`,
    );
  }
  return ascii;
}
