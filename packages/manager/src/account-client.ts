import { type AccountKey, AcmeClient, type Clock, type Logger } from '@certkeeper/core';
import { clientOptionsOf } from './client-options.js';
import type { ManagerOptions } from './options.js';

/**
 * An ACME client for the manager's CA signing with `key` (`accountUrl` when known), with every bound and check of
 * {@link clientOptionsOf}.
 */
export function accountClient(
  options: ManagerOptions,
  context: { readonly clock: Clock; readonly logger: Logger },
  key: AccountKey,
  accountUrl?: string,
): AcmeClient {
  return new AcmeClient({
    ...clientOptionsOf(options, context),
    accountKey: key,
    ...(accountUrl ? { accountUrl } : {}),
  });
}
