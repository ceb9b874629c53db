import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';

/** One refused input and why, as listed in an {@link InvalidIdentifierError}. */
export interface IdentifierProblem {
  /** The input as the caller gave it, rendered for a message (`"a..b"`, `{type:"ip", value:"x"}`). */
  readonly input: string;
  readonly reason: string;
}

/**
 * Thrown (code `CERTKEEPER_ERR_INVALID_IDENTIFIER`) when one or more identifiers cannot be ordered. Every bad
 * input is listed, in `problems` and in the message, so the caller fixes them all at once. Nothing was sent to
 * the CA, so no rate limit or failure budget was spent.
 */
export class InvalidIdentifierError extends CertkeeperError {
  readonly problems: readonly IdentifierProblem[];

  constructor(problems: readonly IdentifierProblem[]) {
    const count = problems.length === 1 ? '1 identifier is' : `${problems.length} identifiers are`;
    const lines = problems.map((problem) => `  - ${problem.input}: ${problem.reason}`);
    super(
      ErrorCodes.INVALID_IDENTIFIER,
      `${count} not valid; nothing was sent to the CA:\n${lines.join('\n')}`,
      {
        hint: 'correct or remove the listed identifiers and try again.',
      },
    );
    this.problems = problems;
  }
}
