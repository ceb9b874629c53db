import { type Logger, processSecretRedactor, type SecretRedactor } from '@certkeeper/core';
import { pino } from 'pino';

/**
 * A JSON logger (pino) behind core's Logger port. certkeeper logs URLs, identifiers and outcomes, never keys, HMAC
 * keys or tokens; every line is also run through the process's SecretRedactor before it is written (a provider's
 * error text may echo a token), and `redact` hides key fields an application adds.
 */
export function createJsonLogger(
  options: { level?: string; destination?: NodeJS.WritableStream; redactor?: SecretRedactor } = {},
): Logger {
  const redactor = options.redactor ?? processSecretRedactor();
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'certkeeper' },
      redact: {
        paths: ['*.keyPem', '*.certificateKeyPem', '*.hmacKey', '*.privateKey', 'keyPem', 'hmacKey'],
        censor: '[secret]',
      },
      hooks: { streamWrite: (line) => redactor.redact(line) },
    },
    options.destination as pino.DestinationStream | undefined,
  );
}
