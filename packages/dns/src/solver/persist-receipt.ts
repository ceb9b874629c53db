import {
  CertkeeperError,
  type ChallengeTask,
  dnsPersistRecordName,
  ErrorCodes,
  type PublicationReceipt,
} from '@certkeeper/core';
import type { PersistTarget } from './dns-persist-records.js';

/**
 * The receipt of a dns-persist-01 task: nothing was written, it only says which standing record authorizes the
 * task, so readiness can be checked by any worker after a crash (plain JSON, like every receipt).
 */
export function persistReceipt(task: ChallengeTask): PublicationReceipt {
  if (!task.dnsPersist || task.identifier.type !== 'dns') {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `Task ${task.authorizationUrl} (${task.identifier.value}) is not a dns-persist-01 task for a DNS name with the CA's issuer domain names.`,
      {
        hint: 'Enable dns-persist-01 on this solver (option dnsPersist01: true); the engine fills in dnsPersist.',
      },
    );
  }
  return {
    authorizationUrl: task.authorizationUrl,
    type: 'dns-persist-01',
    data: {
      name: task.identifier.value,
      recordName: dnsPersistRecordName(task.identifier.value),
      wildcard: task.wildcard,
      issuerDomainNames: [...task.dnsPersist.issuerDomainNames],
      accountUri: task.dnsPersist.accountUri,
      // Only a deadline for servers that do not answer counts from here; nothing was published.
      checkFrom: new Date().toISOString(),
    } satisfies PersistTarget & { recordName: string; checkFrom: string },
  };
}

/** When the first readiness check of dns-persist-01 receipts may start its deadline (absent: now). */
export function persistCheckFrom(receipts: readonly PublicationReceipt[]): Date | undefined {
  const times = receipts
    .map((receipt) => Date.parse(String((receipt.data as { checkFrom?: unknown } | null)?.checkFrom)))
    .filter((time) => !Number.isNaN(time));
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

/** @throws CertkeeperError INVALID_STATE when stored data is not a dns-persist-01 receipt this solver wrote. */
export function readPersistReceipt(receipt: PublicationReceipt): PersistTarget {
  const data = receipt.data as Partial<PersistTarget> | null;
  const valid =
    receipt.type === 'dns-persist-01' &&
    typeof data === 'object' &&
    data !== null &&
    typeof data.name === 'string' &&
    typeof data.accountUri === 'string' &&
    typeof data.wildcard === 'boolean' &&
    Array.isArray(data.issuerDomainNames) &&
    data.issuerDomainNames.every((issuer) => typeof issuer === 'string');
  if (!valid) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_STATE,
      `Stored receipt for ${receipt.authorizationUrl} is not a dns-persist-01 receipt this solver wrote.`,
      { hint: 'The order state is corrupted or from another solver; forget the order and run again.' },
    );
  }
  return data as PersistTarget;
}
