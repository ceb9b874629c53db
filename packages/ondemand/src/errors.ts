import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/** The handshake's server name may not get a certificate: the allow policy said no, or it is no DNS name. */
export function refusedError(serverName: string, why: string): CertkeeperError {
  return new CertkeeperError(
    ErrorCodes.ON_DEMAND_REFUSED,
    `On-demand TLS refused a certificate for ${JSON.stringify(serverName)}: ${why}; nothing was read or ordered.`,
    {
      hint: 'if this name should be served, add it (or a pattern covering it) to the `allow` option of createOnDemandTls',
    },
  );
}

/** The on-demand issuance budget (global or for this name) is spent. */
export function rateLimitedError(
  name: string,
  limit: 'global' | 'perName',
  retryAfter: Date,
): CertkeeperError {
  const which =
    limit === 'global' ? 'the global on-demand issuance limit' : `the on-demand issuance limit for ${name}`;
  return new CertkeeperError(
    ErrorCodes.ON_DEMAND_RATE_LIMITED,
    `On-demand TLS did not order a certificate for ${name}: ${which} is spent until ${retryAfter.toISOString()}.`,
    {
      retryAfter,
      retryable: true,
      hint: `wait until then, or raise \`rateLimits.${limit}\` in the createOnDemandTls options if the traffic is legitimate`,
    },
  );
}

/** The last attempt for the name failed or was deferred; handshakes fail fast until `retryAfter`. */
export function unavailableError(
  name: string,
  reason: string,
  retryAfter: Date,
  cause?: unknown,
): CertkeeperError {
  return new CertkeeperError(
    ErrorCodes.ON_DEMAND_UNAVAILABLE,
    `On-demand TLS has no certificate for ${name}: ${reason}. Handshakes for it fail at once until ${retryAfter.toISOString()}.`,
    {
      retryAfter,
      retryable: true,
      cause,
      hint: 'read the reason above (the CA’s answer, a solver problem); `certkeeper status` shows the recorded backoff',
    },
  );
}
