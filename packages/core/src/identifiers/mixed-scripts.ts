import type { Identifier } from './identifier.js';
import { nameToUnicode } from './idna.js';
import { type IdentifierProblem, InvalidIdentifierError } from './invalid-identifier-error.js';
import { scriptExtensionsOf } from './unicode-scripts.js';

/** A label that mixes scripts, and the scripts found in it. */
export interface MixedScriptLabel {
  /** The name as the caller gave it (`display` of a parsed identifier), else its A-label form. */
  readonly name: string;
  /** The label in Unicode, as a person reads it. */
  readonly label: string;
  readonly scripts: readonly string[];
}

/**
 * The script combinations UTS #39 §5.2 "Highly Restrictive" allows besides a single script: the writing systems
 * that mix scripts by nature (Japanese, Chinese with Bopomofo, Korean), each with Latin.
 */
const ALLOWED_COMBINATIONS: readonly ReadonlySet<string>[] = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

/**
 * Whether a label passes UTS #39 §5.2's "Highly Restrictive" level: all its characters share a script (after
 * Common and Inherited characters, which go with any), or they are all covered by one allowed combination.
 * `аpple` (a Cyrillic а among Latin letters) fails; `bücher`, `δοκιμή`, `日本語テスト` and `abc漢字` pass.
 */
export function scriptsOfMixedLabel(label: string): readonly string[] | undefined {
  if (/^\p{ASCII}*$/u.test(label)) return undefined;
  const sets = [...label].map(scriptExtensionsOf).filter((set) => set.size > 0);
  if (sets.length === 0) return undefined;
  // The resolved script set (UTS #39 §5.1): scripts every character is used with.
  const [first, ...rest] = sets;
  if ([...first!].some((script) => rest.every((set) => set.has(script)))) return undefined;
  if (ALLOWED_COMBINATIONS.some((allowed) => sets.every((set) => [...set].some((s) => allowed.has(s)))))
    return undefined;
  return [...new Set(sets.flatMap((set) => [...set]))].sort();
}

/** Every DNS label of these identifiers that mixes scripts (homographs such as `аpple.test`). */
export function findMixedScriptLabels(identifiers: readonly Identifier[]): MixedScriptLabel[] {
  const found: MixedScriptLabel[] = [];
  for (const identifier of identifiers) {
    if (identifier.type !== 'dns' || !identifier.value.includes('xn--')) continue;
    for (const label of nameToUnicode(identifier.value.replace(/^\*\./, '')).split('.')) {
      const scripts = scriptsOfMixedLabel(label);
      if (scripts)
        found.push({
          name: 'display' in identifier ? String(identifier.display) : identifier.value,
          label,
          scripts,
        });
    }
  }
  return found;
}

/**
 * Refuses names with a mixed-script label, the usual form of a homograph (UTS #39 §5): `аpple.test` with a
 * Cyrillic а looks like `apple.test` and is another name. A caller that means such a name opts out by not
 * calling this (the CLI: `--allow-mixed-scripts`, `allowMixedScripts: true`).
 *
 * @throws {InvalidIdentifierError} naming each label and the scripts found in it.
 */
export function assertNoMixedScriptLabels(identifiers: readonly Identifier[]): void {
  const problems: IdentifierProblem[] = findMixedScriptLabels(identifiers).map((found) => ({
    input: JSON.stringify(found.name),
    reason: `label "${found.label}" mixes the scripts ${found.scripts.join(' and ')}, the mark of a homograph (UTS #39 §5.2); if the name is right, allow it with --allow-mixed-scripts or allowMixedScripts: true`,
  }));
  if (problems.length > 0) throw new InvalidIdentifierError(problems);
}
