import { createRequire } from 'node:module';
import type * as Tr46 from 'tr46';

let loaded: typeof Tr46 | undefined;

/**
 * tr46, loaded on the first name that is not plain ASCII or carries an A-label. Its mapping tables and punycode
 * cost a process ≈ 10 ms of CPU and some MB of RSS at start-up (issue 13), and the names of most configurations are
 * ASCII host names, which {@link mapLabels} maps without it. `require`, not an import, so loading stays synchronous:
 * the CLI's bundler (esbuild) sees the global `require('tr46')` and bundles tr46 as a module evaluated on this
 * first call; unbundled (the library, tests) there is no global `require` in an ES module, and createRequire
 * loads the installed package.
 */
function tr46(): typeof Tr46 {
  loaded ??= (
    typeof require === 'function' ? require('tr46') : createRequire(import.meta.url)('tr46')
  ) as typeof Tr46;
  return loaded;
}

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
 * (`ＡＢＣ．test` → `abc`, `test`). An ASCII label is only lower-cased: for one without `xn--` that is exactly what
 * the mapping does (idna.spec.ts checks it against tr46), and an `xn--` label is kept as given for the strict check
 * to judge: mapping would decode it, or drop a broken one to an empty label and hide the real mistake.
 */
export function mapLabels(name: string): string[] {
  return name
    .split(FULL_STOPS)
    .map((label) =>
      /^\p{ASCII}*$/u.test(label)
        ? label.toLowerCase()
        : tr46().toUnicode(label, { transitionalProcessing: false }).domain,
    );
}

/** The A-label of one label (already mapped), or undefined when it is not valid IDNA2008 under {@link STRICT}. */
export function labelToAscii(label: string): string | undefined {
  return tr46().toASCII(label, STRICT) ?? undefined;
}

/** Whether the whole name passes UTS #46 validation, which checks the Bidi rule across labels (RFC 5893 §2). */
export function isValidIdnaName(name: string): boolean {
  return tr46().toASCII(name, STRICT) !== null;
}

/** The Unicode form of a (valid) name, for script checks and messages: A-labels decoded. */
export function nameToUnicode(name: string): string {
  return tr46().toUnicode(name, STRICT).domain;
}
