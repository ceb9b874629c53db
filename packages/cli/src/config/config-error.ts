import { CertkeeperError, type ErrorCode, ErrorCodes } from '@certkeeper/core';

/**
 * One CONFIG_INVALID error listing every problem found, each line starting with `file:line:column key:` so an
 * editor can jump to it. Nothing was done when this is thrown: configs are checked before any order.
 */
export function configInvalid(
  /** What is wrong, e.g. "the configuration /etc/certkeeper.yaml" or "the options of DNS plugin rfc2136". */
  subject: string,
  problems: readonly string[],
  hint = 'fix the keys named above; `certkeeper init --print` shows a commented example of every key.',
  /** INVALID_IDENTIFIER for names, PROFILE_VIOLATION for too many of them: the same layout, a precise code. */
  code: ErrorCode = ErrorCodes.CONFIG_INVALID,
): CertkeeperError {
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  return new CertkeeperError(
    code,
    `Found ${count} in ${subject}; nothing was done:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    { hint },
  );
}
