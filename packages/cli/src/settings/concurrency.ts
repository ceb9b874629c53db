import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import * as z from 'zod';

/** Certificates a `renew` or daemon sweep works on at once when neither the config nor a flag says. */
export const DEFAULT_CONCURRENCY = 4;
/**
 * The most allowed: every certificate in flight holds an order, a store lease and its challenge responses, and their
 * requests share one rate limiter — beyond this many, they only wait for each other.
 */
export const MAX_CONCURRENCY = 64;

const expected = `expected a whole number from 1 to ${MAX_CONCURRENCY} (certificates worked on at once)`;

/** `defaults.concurrency` in the config file. */
export const concurrencySchema = z
  .int({ error: expected })
  .min(1, { error: expected })
  .max(MAX_CONCURRENCY, { error: expected });

/** `--concurrency <n>`: the same bounds as the config key, refused before anything is done. */
export function parseConcurrencyFlag(text: string): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (Number.isInteger(value) && value >= 1 && value <= MAX_CONCURRENCY) return value;
  throw new CertkeeperError(
    ErrorCodes.CONFIG_INVALID,
    `--concurrency ${JSON.stringify(text)}: ${expected}; nothing was done.`,
    {
      hint: `give e.g. --concurrency ${DEFAULT_CONCURRENCY}, or set defaults.concurrency in the config file.`,
    },
  );
}
