import { toASCII, toUnicode } from 'tr46';

/**
 * UTS #46 options matching what CAs accept. Let's Encrypt (Boulder) validates names with Go's `idna.Lookup`
 * profile: hyphen rules (no leading/trailing hyphen, no `--` in positions 3–4 except `xn--`), the RFC 5893 Bidi
 * rule, the RFC 5892 Appendix A joiner rules, STD3 ASCII (letters, digits, hyphen), and nontransitional
 * processing (IDNA2008: `ß` stays `ß`, so `faß` is `xn--fa-hia`, not `fass`). Lengths are checked by the
 * caller in A-label octets, with messages that say by how much (hence no VerifyDnsLength here).
 */
const STRICT = {
  checkHyphens: true,
  checkBidi: true,
  checkJoiners: true,
  useSTD3ASCIIRules: true,
  transitionalProcessing: false,
  verifyDNSLength: false,
} as const;

/** The full stops UTS #46 maps to `.` (U+002E, U+3002, U+FF0E, U+FF61): where a name splits into labels. */
const FULL_STOPS = /[.\u3002\uFF0E\uFF61]/;

/**
 * The labels of a name after the UTS #46 mapping, without validation: case folded, NFC, full-width letters mapped
 * (`ＡＢＣ．test` → `abc`, `test`). An ASCII `xn--` label is kept as given (lower-cased) for the strict check to
 * judge: mapping would decode it, or drop a broken one to an empty label and hide the real mistake.
 */
export function mapLabels(name: string): string[] {
  return name
    .split(FULL_STOPS)
    .map((label) =>
      /^xn--/i.test(label) && /^\p{ASCII}*$/u.test(label)
        ? label.toLowerCase()
        : toUnicode(label, { transitionalProcessing: false }).domain,
    );
}

/** The A-label of one label (already mapped), or undefined when it is not valid IDNA2008 under {@link STRICT}. */
export function labelToAscii(label: string): string | undefined {
  return toASCII(label, STRICT) ?? undefined;
}

/** Whether the whole name passes UTS #46 validation, which checks the Bidi rule across labels (RFC 5893 §2). */
export function isValidIdnaName(name: string): boolean {
  return toASCII(name, STRICT) !== null;
}

/** The Unicode form of a (valid) name, for script checks and messages: A-labels decoded. */
export function nameToUnicode(name: string): string {
  return toUnicode(name, STRICT).domain;
}
