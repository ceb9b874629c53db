import { CertkeeperError, ErrorCodes, type PublicationReceipt } from '@certkeeper/core';

/** What a RAW-mode solver stores per published task: everything `cleanup` and the propagation check need. */
export interface RawReceiptData {
  /** As handed to the hook: the identifier, with `*.` for a wildcard authorization (lego's convention). */
  readonly domain: string;
  readonly token: string;
  readonly keyAuthorization: string;
  /** `_acme-challenge.<base name>`, where the CA looks. */
  readonly fqdn: string;
  /** The TXT value the hook is expected to publish there. */
  readonly value: string;
  readonly publishedAt: string;
}

/** @throws CertkeeperError INVALID_STATE when the stored data is not a receipt a RAW solver wrote. */
export function readRawReceipt(receipt: PublicationReceipt, solver: string): RawReceiptData {
  const data = receipt.data as Partial<RawReceiptData> | null;
  const valid =
    receipt.type === 'dns-01' &&
    typeof data === 'object' &&
    data !== null &&
    (['domain', 'token', 'keyAuthorization', 'fqdn', 'value', 'publishedAt'] as const).every(
      (key) => typeof data[key] === 'string',
    );
  if (!valid) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_STATE,
      `Stored receipt for ${receipt.authorizationUrl} is not one the ${solver} wrote.`,
      {
        hint: 'The order state is corrupted or from another solver; remove the TXT record by hand if one exists.',
      },
    );
  }
  return data as RawReceiptData;
}
