import {
  assertNoMixedScriptLabels,
  CertkeeperError,
  type ErrorCode,
  ErrorCodes,
  InvalidIdentifierError,
  maxIdentifiersOf,
  type NormalizedIdentifier,
  parseIdentifiers,
  profileRulesFor,
} from '@certkeeper/core';

/** What the names of one certificate are checked against, all known without asking the CA. */
export interface NameRules {
  readonly directoryUrl: string;
  readonly profile: string | undefined;
  /** `ca.maxNames`: the user's limit for this CA, which wins over the known ones. */
  readonly maxNames: number | undefined;
  /** `--allow-mixed-scripts` / `allowMixedScripts: true`: the user means names such as `аpple.test`. */
  readonly allowMixedScripts: boolean;
}

/** One problem, with the index of the name it concerns (undefined: the list as a whole). */
export interface NameProblem {
  readonly index?: number;
  readonly message: string;
  /** The names are fine, but more than the CA takes in one certificate. */
  readonly tooMany?: boolean;
}

/** PROFILE_VIOLATION when only the number of names is wrong, else INVALID_IDENTIFIER: both exit 2. */
export function codeOf(problems: readonly NameProblem[]): ErrorCode {
  return problems.every((problem) => problem.tooMany)
    ? ErrorCodes.PROFILE_VIOLATION
    : ErrorCodes.INVALID_IDENTIFIER;
}

/**
 * Every check of a certificate's names that needs no network, so that a typo never reaches the CA and never
 * shows as a network error when the CA is down: syntax (core's `parseIdentifiers`: IDN, single labels, reserved
 * addresses, wildcards), duplicates, mixed-script labels unless allowed, and the CA's most names per certificate
 * (`ca.maxNames`, else what is known for the directory URL: Let's Encrypt's profiles; none for other CAs).
 */
export function nameProblems(names: readonly string[], rules: NameRules): NameProblem[] {
  const problems: NameProblem[] = [];
  const parsed: NormalizedIdentifier[] = [];
  for (const [index, name] of names.entries()) {
    const one = attempt(() => parseIdentifiers([name]));
    if (one.problems) problems.push(...one.problems.map((message) => ({ index, message })));
    else {
      parsed.push(one.value[0]!);
      if (!rules.allowMixedScripts) {
        const mixed = attempt(() => assertNoMixedScriptLabels(one.value));
        problems.push(...(mixed.problems ?? []).map((message) => ({ index, message })));
      }
    }
  }
  if (problems.length > 0) return problems;
  const all = attempt(() => parseIdentifiers(names));
  if (all.problems) return all.problems.map((message) => ({ message }));
  const limit = rules.maxNames ?? maxIdentifiersOf(profileRulesFor(rules.directoryUrl), rules.profile);
  if (limit !== undefined && parsed.length > limit) {
    const source =
      rules.maxNames !== undefined
        ? 'ca.maxNames allows'
        : `${profileRulesFor(rules.directoryUrl).name} allows${rules.profile ? ` under profile "${rules.profile}"` : ''}`;
    problems.push({
      message: `${parsed.length} names; ${source} at most ${limit} per certificate: split them over several certificates`,
      tooMany: true,
    });
  }
  return problems;
}

/** Runs a check, turning an InvalidIdentifierError into its reasons (`"name": why`). */
function attempt<T>(check: () => T): { value: T; problems?: undefined } | { problems: string[] } {
  try {
    return { value: check() };
  } catch (error) {
    if (error instanceof InvalidIdentifierError || (CertkeeperError.isInstance(error) && 'problems' in error))
      return {
        problems: (error as InvalidIdentifierError).problems.map((p) => `${p.input}: ${p.reason}`),
      };
    throw error;
  }
}
