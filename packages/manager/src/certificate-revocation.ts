import {
  type Clock,
  type Logger,
  parseCertificate,
  RevocationReason,
  type RevocationReasonCode,
  silentLogger,
  systemClock,
} from '@certkeeper/core';
import type { CertificateRecord, Store } from '@certkeeper/store';
import { AccountRegistry } from './account-registry.js';
import type { ManagerOptions } from './options.js';

export type RevocationReasonName = keyof typeof RevocationReason;

export interface RevokeCertificateOptions {
  readonly options: ManagerOptions;
  readonly store: Store;
  readonly record: CertificateRecord;
  readonly reason?: RevocationReasonName;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

/**
 * Revoke a stored certificate (RFC 8555 §7.6) with the manager's account, then mark the record `revokedAt` so the
 * freshness gate treats it as due: the next `renew` replaces it. Revoking a certificate the CA already revoked
 * fails with the CA's `alreadyRevoked` problem and leaves the record untouched.
 */
export async function revokeCertificate(request: RevokeCertificateOptions): Promise<CertificateRecord> {
  const clock = request.clock ?? systemClock;
  const logger = request.logger ?? silentLogger;
  const accounts = new AccountRegistry(request.options, request.store, clock, logger);
  try {
    const { client } = await accounts.client();
    const reason: RevocationReasonCode | undefined =
      request.reason === undefined ? undefined : RevocationReason[request.reason];
    await client.certificates.revoke(parseCertificate(request.record.certificatePem).der, {
      ...(reason === undefined ? {} : { reason }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const revoked: CertificateRecord = { ...request.record, revokedAt: clock.now().toISOString() };
    await request.store.putCertificate(revoked);
    logger.info(
      { key: revoked.key, serial: revoked.serialNumberHex, reason: request.reason ?? 'unspecified' },
      'certificate revoked',
    );
    return revoked;
  } finally {
    await accounts.close();
  }
}
