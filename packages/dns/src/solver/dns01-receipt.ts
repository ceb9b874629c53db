import { CertkeeperError, ErrorCodes, type PublicationReceipt } from '@certkeeper/core';

/**
 * What the dns-01 solver stores per published task (dns-01 and dns-account-01 alike; `PublicationReceipt.type`
 * says which) (`PublicationReceipt.data`). Plain JSON, so a crashed or
 * different worker can check propagation and clean up exactly these records later.
 */
export interface Dns01ReceiptData {
  /** Zone the record was created in. */
  readonly zone: string;
  /** Record name relative to `zone` (`'@'` for the apex). */
  readonly name: string;
  /** Where the record lives: `_acme-challenge.<identifier>` or the end of its CNAME chain. */
  readonly fqdn: string;
  /** `_acme-challenge.<identifier>` (dns-account-01: `_<label>._acme-challenge.<identifier>`), the name the CA asks. */
  readonly challengeName: string;
  readonly value: string;
  readonly ttl: number;
  /** ISO time the last record of the publish call was created; propagation deadlines count from here. */
  readonly publishedAt: string;
}

/** @throws CertkeeperError INVALID_STATE when stored data is not a dns-01 receipt (corrupted or foreign state). */
export function readReceipt(receipt: PublicationReceipt): Dns01ReceiptData {
  const data = receipt.data as Partial<Dns01ReceiptData> | null;
  const valid =
    (receipt.type === 'dns-01' || receipt.type === 'dns-account-01') &&
    typeof data === 'object' &&
    data !== null &&
    ['zone', 'name', 'fqdn', 'challengeName', 'value', 'publishedAt'].every(
      (key) => typeof data[key as keyof Dns01ReceiptData] === 'string',
    ) &&
    typeof data.ttl === 'number' &&
    !Number.isNaN(Date.parse(data.publishedAt!));
  if (!valid) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_STATE,
      `Stored receipt for ${receipt.authorizationUrl} is not a dns-01 receipt this solver wrote.`,
      {
        hint: 'The order state is corrupted or from another solver; remove the TXT record by hand if one exists.',
      },
    );
  }
  return data as Dns01ReceiptData;
}
