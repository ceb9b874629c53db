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

/**
 * The UTS #46 mapping of a whole name, without validation: case folded, NFC, full-width letters and the
 * ideographic and full-width full stops mapped (`ＡＢＣ．test` → `abc.test`), valid A-labels decoded. Labels it
 * cannot map are kept as given, for the per-label checks to name.
 */
export function mapName(name: string): string {
  return toUnicode(name, { transitionalProcessing: false }).domain;
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
