import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

const plain = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The schema name, checked and quoted for SQL text. Identifiers cannot be bound as parameters, so only plain
 * lower-case names are accepted: nothing a caller passes can change the meaning of a statement.
 */
export function quoteSchema(schema: string): string {
  if (!plain.test(schema)) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `PostgreSQL store: the schema name "${schema}" is not a plain identifier.`,
      {
        hint: 'use lower-case letters, digits and underscores, starting with a letter (at most 63 characters).',
      },
    );
  }
  return `"${schema}"`;
}
