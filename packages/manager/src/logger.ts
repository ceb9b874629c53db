import type { Logger } from '@certkeeper/core';
import { pino } from 'pino';

/**
 * A JSON logger (pino) behind core's Logger port. Secrets never reach it: certkeeper logs URLs, identifiers and
 * outcomes, never keys, HMAC keys or tokens; `redact` is a second line of defence for fields an application adds.
 */
export function createJsonLogger(
  options: { level?: string; destination?: NodeJS.WritableStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'certkeeper' },
      redact: {
        paths: ['*.keyPem', '*.certificateKeyPem', '*.hmacKey', '*.privateKey', 'keyPem', 'hmacKey'],
        censor: '[secret]',
      },
    },
    options.destination as pino.DestinationStream | undefined,
  );
}
