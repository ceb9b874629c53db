import { readDnsName } from '../identifiers/dns-name.js';

/** RFC 5322 §3.2.3 atext: what a dot-atom local part may hold. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const MAX_ADDRESS = 254;
const MAX_LOCAL_PART = 64;

/**
 * Why a contact URI cannot be sent to a CA, or undefined when it can. RFC 8555 §7.3: a `mailto:` URI whose `to`
 * is one addr-spec and that has no `hfields` (servers reject both, with `invalidContact` or `unsupportedContact`);
 * Let's Encrypt takes nothing but `mailto:`. The address must look deliverable: a dot-atom local part (quoted local
 * parts are refused by CAs in practice) and a domain that is a valid DNS name with at least two labels.
 */
export function contactProblem(uri: string): string | undefined {
  if (!/^mailto:/i.test(uri)) return 'not a mailto: URI (CAs take only mailto: contacts)';
  const rest = uri.slice('mailto:'.length);
  if (rest.includes('?')) return 'has header fields ("?…"), which RFC 8555 §7.3 forbids';
  let address: string;
  try {
    address = decodeURIComponent(rest);
  } catch {
    return 'has a broken percent-encoding';
  }
  if (address.length === 0) return 'names no address';
  if (address.includes(',')) return 'names more than one address; give one address per contact';
  if (/\s/.test(address)) return 'the address contains whitespace';
  if (address.length > MAX_ADDRESS) return `the address is longer than ${MAX_ADDRESS} characters`;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return 'is not an address of the form name@domain';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > MAX_LOCAL_PART) return `the part before @ is longer than ${MAX_LOCAL_PART} characters`;
  if (!local.split('.').every((atom) => ATEXT.test(atom)))
    return "the part before @ is not a plain address (letters, digits, !#$%&'*+/=?^_`{|}~- and single dots)";
  const name = readDnsName(domain);
  // A single label (readDnsName refuses those too, in a certificate's words) or a wildcard: not where mail goes.
  if (name.ok ? name.wildcard : !domain.replace(/\.$/, '').includes('.'))
    return `the domain ${JSON.stringify(domain)} is not a mail domain`;
  if (!name.ok) return `the domain ${JSON.stringify(domain)} is not valid: ${name.reasons.join('; ')}`;
  return undefined;
}
