import type { AccountKey } from '../crypto/account-key.js';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import type { AcmeTransport } from '../transport/acme-transport.js';

/** What every resource service needs: the transport, the account key, and (after registration) the account URL. */
export interface AcmeSession {
  readonly transport: AcmeTransport;
  /** Replaced by a key rollover. */
  accountKey: AccountKey;
  accountUrl: string | undefined;
}

export function requireAccountUrl(session: AcmeSession): string {
  if (!session.accountUrl) {
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, 'No ACME account URL is known for this client.', {
      hint: 'call client.accounts.create() (or find()) first, or pass accountUrl when creating the client.',
    });
  }
  return session.accountUrl;
}
