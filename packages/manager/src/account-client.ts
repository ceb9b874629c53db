import { type AccountKey, AcmeClient, type Clock, type Logger } from '@certkeeper/core';
import type { ManagerOptions } from './options.js';

/** An ACME client for the manager's CA (its URL and CA bundle) signing with `key`; `accountUrl` when known. */
export function accountClient(
  options: ManagerOptions,
  context: { readonly clock: Clock; readonly logger: Logger },
  key: AccountKey,
  accountUrl?: string,
): AcmeClient {
  const { directoryUrl, caBundle } = options;
  return new AcmeClient({
    directoryUrl,
    accountKey: key,
    ...(caBundle ? { caBundle: ([] as string[]).concat(caBundle as string | string[]) } : {}),
    ...(accountUrl ? { accountUrl } : {}),
    clock: context.clock,
    logger: context.logger,
  });
}
