import { X509Certificate } from 'node:crypto';
import {
  ariCertificateId,
  CertkeeperError,
  type Clock,
  describeKey,
  ErrorCodes,
  identifierSetKey,
  importCertificateKey,
  type Logger,
  type OrderState,
  parseCertificate,
} from '@certkeeper/core';
import type { CertificateRecord, Store } from '@certkeeper/store';
import type { CertificateRequest } from '../certificate-request.js';
import type { LedgerSubject, RateLimitLedger } from '../ledger/rate-limit-ledger.js';
import type { IssuedMaterial } from './issue-function.js';

export interface CommitInput {
  readonly request: CertificateRequest;
  readonly key: string;
  readonly material: IssuedMaterial;
  /** What the ledger counts the certificate against (with `replaces` for an ARI renewal: exempt at the CA). */
  readonly subject: LedgerSubject;
  /** The finished order that holds the certificate, to remove once it is stored (its revision, for the CAS). */
  readonly order?: { readonly revision: number; readonly createdAt: string };
  /** This commit finishes one a stopped run began: the certificate or its ledger event may already be stored. */
  readonly resumed: boolean;
}

/**
 * The one owner of an issuance's commit. The order state holds the certificate and its key until the very end, so
 * the steps run in this order, each durable before the next:
 *
 * 1. store the certificate and key (`putCertificate`; skipped when the stored one is already this certificate);
 * 2. count it in the ledger (`certificate` event naming the serial; on a resumed commit, skipped if the ledger
 *    already names this serial);
 * 3. remove the finished order, compare-and-set on the revision that holds the certificate.
 *
 * Killed before 1, 2 or 3, the finished order is still stored: the next run (under the lease) finishes the commit
 * from it without ordering. So a certificate is never lost and never issued twice, and it is counted in the ledger
 * exactly once. What is not guaranteed: the `issued`/`renewed` outcome of a run killed after step 3 and before it
 * returned is never reported (the certificate is stored; a deploy that tracks the stored serial catches up).
 */
export class IssuanceCommit {
  constructor(
    private readonly store: Store,
    private readonly ledger: RateLimitLedger,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async commit(input: CommitInput): Promise<CertificateRecord> {
    const { key, material, subject } = input;
    const issued = certificateRecord(input.request, key, material, this.clock.now());
    const stored = await this.store.getCertificate(key);
    const current = stored?.serialNumberHex === issued.serialNumberHex ? stored : undefined;
    if (!current) await this.store.putCertificate(issued);
    const detail = `serial ${issued.serialNumberHex}`;
    if (!input.resumed || !(await this.counted(subject, detail, input.order?.createdAt))) {
      await this.ledger.record('certificate', subject, {
        ...(subject.replaces ? { exempt: true } : {}),
        detail,
        ...(material.pollTiming ? { pollTiming: material.pollTiming } : {}),
      });
    }
    if (input.order) await this.removeOrder(key, input.order.revision);
    return current ?? issued;
  }

  /** Whether the ledger already holds this certificate's event (a run killed between steps 2 and 3 wrote it). */
  private async counted(subject: LedgerSubject, detail: string, since: string | undefined): Promise<boolean> {
    // From a day before the order was made: the serial names the event, and a day covers any clock skew between
    // the host that made the order and the one that counted it.
    const from = since ? new Date(Date.parse(since) - 86_400_000) : new Date(0);
    const events = await this.store.queryLedger({
      directoryUrl: subject.directoryUrl,
      since: Number.isNaN(from.getTime()) ? new Date(0).toISOString() : from.toISOString(),
      kinds: ['certificate'],
      identifierSet: identifierSetKey(subject.identifiers),
    });
    return events.some((event) => event.detail === detail);
  }

  private async removeOrder(key: string, revision: number): Promise<void> {
    try {
      await this.store.deleteOrder(key, revision);
    } catch (error) {
      // Another worker wrote the order since: it is theirs now, and never ours to remove.
      if (!(CertkeeperError.isInstance(error) && error.code === ErrorCodes.STORE_CONFLICT)) throw error;
      this.logger.warn({ key, revision }, 'the finished order changed after it was read; left in place');
    }
  }
}

/**
 * The certificate and key a finished order holds, or undefined when it holds none (failed). An order made with the
 * caller's own CSR holds no key: its key type is the certificate's.
 */
export function finishedOrderMaterial(state: OrderState): IssuedMaterial | undefined {
  if (state.phase !== 'done' || !state.certificate?.pem) return undefined;
  const timing = state.pollTiming ? { pollTiming: state.pollTiming } : {};
  if (state.certificateKeyPem)
    return {
      certificatePem: state.certificate.pem,
      keyPem: state.certificateKeyPem,
      keyType: importCertificateKey(state.certificateKeyPem).type,
      ...timing,
    };
  const keyType = state.csr
    ? describeKey(new X509Certificate(parseCertificate(state.certificate.pem).der).publicKey)
        .certificateKeyType
    : undefined;
  return keyType ? { certificatePem: state.certificate.pem, keyType, ...timing } : undefined;
}

function certificateRecord(
  request: CertificateRequest,
  key: string,
  material: IssuedMaterial,
  now: Date,
): CertificateRecord {
  const leaf = parseCertificate(material.certificatePem);
  let ariCertId: string | undefined;
  try {
    ariCertId = ariCertificateId(leaf);
  } catch {
    // No Authority Key Identifier: ARI cannot name this certificate.
  }
  return {
    key,
    directoryUrl: request.directoryUrl,
    accountUrl: request.accountUrl,
    identifiers: request.identifiers.map(({ type, value }) => ({ type, value })),
    ...(request.profile ? { profile: request.profile } : {}),
    keyType: material.keyType,
    certificatePem: material.certificatePem,
    ...(material.keyPem !== undefined ? { keyPem: material.keyPem } : {}),
    ...(request.csr ? { externalKey: { spkiSha256: request.csr.spkiSha256 } } : {}),
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
    serialNumberHex: leaf.serialNumberHex,
    ...(ariCertId ? { ariCertId } : {}),
    issuedAt: now.toISOString(),
  };
}
