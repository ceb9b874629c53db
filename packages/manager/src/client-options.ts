import type { AcmeClientOptions, Clock, Logger } from '@certkeeper/core';
import type { ManagerOptions } from './options.js';

/**
 * The AcmeClient options a manager's options imply, without the account: the CA, its bundle, and every bound and
 * check on what the CA says (trust anchors, HTTPS only, deadline, Retry-After ceiling). One place, so the account
 * registry, account operations and the CLI's ARI client all talk to the CA the same way.
 */
export function clientOptionsOf(
  options: ManagerOptions,
  extra: { readonly clock?: Clock; readonly logger?: Logger } = {},
): Omit<AcmeClientOptions, 'accountKey'> {
  const { directoryUrl, caBundle, trustAnchors, allowInsecureHttp, requestDeadlineMs, maxRetryAfterMs } =
    options;
  return {
    directoryUrl,
    ...(caBundle ? { caBundle: ([] as string[]).concat(caBundle as string | string[]) } : {}),
    ...(trustAnchors ? { trustAnchors } : {}),
    ...(allowInsecureHttp ? { allowInsecureHttp } : {}),
    ...(requestDeadlineMs !== undefined ? { requestDeadlineMs } : {}),
    ...(maxRetryAfterMs !== undefined ? { maxRetryAfterMs } : {}),
    ...(extra.clock ? { clock: extra.clock } : {}),
    ...(extra.logger ? { logger: extra.logger } : {}),
  };
}
