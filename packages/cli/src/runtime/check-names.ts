import { CertkeeperError, ErrorCodes, parseIdentifiers } from '@certkeeper/core';

/** Guard used by `issue`: the names must parse before anything else happens. */
export function checkNames(names: readonly string[]): void {
  if (names.length === 0)
    throw new CertkeeperError(ErrorCodes.INVALID_IDENTIFIER, 'No names were given.', {
      hint: 'certkeeper issue example.com www.example.com',
    });
  parseIdentifiers(names);
}
