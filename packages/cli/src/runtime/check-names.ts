import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { configInvalid } from '../config/config-error.js';
import { codeOf, type NameRules, nameProblems } from '../settings/name-checks.js';

/** Syntax and duplicates only: for `revoke`, which names a stored certificate (a homograph one included). */
export const SYNTAX_ONLY: NameRules = {
  directoryUrl: '',
  profile: undefined,
  maxNames: undefined,
  allowMixedScripts: true,
};

/**
 * Guard used by `issue` and `revoke`: every check of the names that needs no network, before the CA is asked anything.
 *
 * @throws CertkeeperError INVALID_IDENTIFIER (PROFILE_VIOLATION when only their number is wrong), listing each.
 */
export function checkNames(names: readonly string[], rules: NameRules): void {
  if (names.length === 0)
    throw new CertkeeperError(ErrorCodes.INVALID_IDENTIFIER, 'No names were given.', {
      hint: 'certkeeper issue example.com www.example.com',
    });
  const problems = nameProblems(names, rules);
  if (problems.length === 0) return;
  throw configInvalid(
    'the names given',
    problems.map((problem) => problem.message),
    'correct or remove the listed names and try again; nothing was sent to the CA.',
    codeOf(problems),
  );
}
