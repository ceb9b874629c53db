import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/** Typed errors every provider throws the same way, so callers and the conformance kit can rely on codes. */
export function zoneNotFound(provider: string, zone: string): CertkeeperError {
  return new CertkeeperError(
    ErrorCodes.DNS_ZONE_NOT_FOUND,
    `DNS provider "${provider}" does not host zone "${zone}".`,
    { hint: 'Check the zone name, or that the credentials belong to the account that owns the zone.' },
  );
}

export function providerUnauthorized(
  provider: string,
  zone: string | undefined,
  detail: string,
): CertkeeperError {
  return new CertkeeperError(
    ErrorCodes.DNS_PROVIDER_UNAUTHORIZED,
    `DNS provider "${provider}" rejected the credentials${zone ? ` for zone "${zone}"` : ''}: ${detail}.`,
    { hint: 'Check the configured credentials and that they may edit TXT records in this zone.' },
  );
}

export function providerFailed(
  provider: string,
  operation: string,
  detail: string,
  options: { retryAfter?: Date; cause?: unknown; retryable?: boolean } = {},
): CertkeeperError {
  return new CertkeeperError(
    ErrorCodes.DNS_PROVIDER_FAILED,
    `DNS provider "${provider}" failed to ${operation}: ${detail}.`,
    {
      hint: 'The provider may be having an outage; retry later. Records created before the failure are removed by cleanup.',
      retryable: options.retryable ?? true,
      ...(options.retryAfter ? { retryAfter: options.retryAfter } : {}),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    },
  );
}
