import { randomUUID } from 'node:crypto';
import {
  exportPrivateKeyPem,
  generateCertificateKey,
  importCertificateKey,
} from '../crypto/certificate-key.js';
import { assertCsrMatchesIdentifiers, parseCsr } from '../crypto/csr-parse.js';
import { type CertificateKeyType, DEFAULT_CERTIFICATE_KEY_TYPE } from '../crypto/key-types.js';
import { toDer } from '../crypto/pem.js';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';
import { parseIdentifiers } from '../identifiers/parse-identifiers.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { assertKnownCaProfileRules } from '../profiles/ip-profile-rule.js';
import { ORDER_STATE_VERSION, type OrderState } from './order-state.js';

export interface PrepareOrderInput {
  readonly directoryUrl: string;
  readonly accountUrl: string;
  /** Names and IPs to certify. Optional when `csr` is given: its names become the order's identifiers. */
  readonly identifiers?: ReadonlyArray<string | Identifier>;
  /** A CSR of the caller's own (PEM or DER). Its key stays with the caller; the state then holds no key. */
  readonly csr?: string | Uint8Array;
  /** Type of the key generated when no CSR is given (default ec256). */
  readonly keyType?: CertificateKeyType;
  /**
   * A private key (PEM) to certify instead of a new one — a renewal that keeps its key (`--reuse-key`). It must be
   * of `keyType` when that is given. The state holds it, as it would a generated key.
   */
  readonly certificateKeyPem?: string;
  readonly profile?: string;
  /** RFC 9773 ARI certificate id of the certificate being replaced. */
  readonly replaces?: string;
  /** Issuer common name of the chain to prefer among alternates. */
  readonly preferredChain?: string;
  readonly clock?: Clock;
}

/**
 * Check the input and build the first state of an order. Nothing is sent: every refusal (malformed names, a CSR
 * whose names disagree with the identifiers, an unknown key type) happens here, before any request to the CA.
 */
export async function prepareOrder(input: PrepareOrderInput): Promise<OrderState> {
  const now = (input.clock ?? systemClock).now().toISOString();
  let identifiers: readonly Identifier[];
  let csr: string | undefined;
  let certificateKeyPem: string | undefined;
  if (input.csr !== undefined) {
    const parsed = await parseCsr(input.csr);
    identifiers = input.identifiers ? wire(input.identifiers) : wire(parsed.identifiers);
    assertCsrMatchesIdentifiers(parsed, identifiers);
    csr = Buffer.from(toDer(input.csr, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'])!).toString(
      'base64url',
    );
  } else {
    if (!input.identifiers || input.identifiers.length === 0) {
      throw new CertkeeperError(ErrorCodes.INVALID_IDENTIFIER, 'No identifiers were given for the order.', {
        hint: 'pass at least one name (or a CSR whose names become the order’s identifiers).',
      });
    }
    identifiers = wire(input.identifiers);
    certificateKeyPem = input.certificateKeyPem
      ? reusedKeyPem(input.certificateKeyPem, input.keyType)
      : exportPrivateKeyPem(await generateCertificateKey(input.keyType ?? DEFAULT_CERTIFICATE_KEY_TYPE));
  }
  // Let's Encrypt refuses IP addresses outside `shortlived`: say so now, not after a new-order token is spent.
  assertKnownCaProfileRules({ directoryUrl: input.directoryUrl, identifiers, profile: input.profile });
  return {
    version: ORDER_STATE_VERSION,
    id: randomUUID(),
    directoryUrl: input.directoryUrl,
    accountUrl: input.accountUrl,
    identifiers,
    ...(input.profile ? { profile: input.profile } : {}),
    ...(input.replaces ? { replaces: input.replaces } : {}),
    ...(input.preferredChain ? { preferredChain: input.preferredChain } : {}),
    ...(certificateKeyPem ? { certificateKeyPem } : {}),
    ...(csr ? { csr } : {}),
    phase: 'create-order',
    authorizationUrls: [],
    authorizations: [],
    receipts: [],
    attempts: 0,
    phaseStartedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

/** Normalised wire identifiers (a wildcard keeps its `*.` in the order; the CA splits it into an authorization). */
function wire(input: ReadonlyArray<string | Identifier>): Identifier[] {
  return parseIdentifiers(input).map(({ type, value }) => ({ type, value }));
}

/** The caller's key, checked to be a certificate key of the asked type, normalised to PKCS#8. */
function reusedKeyPem(pem: string, keyType: CertificateKeyType | undefined): string {
  const key = importCertificateKey(pem);
  if (keyType && key.type !== keyType)
    throw new CertkeeperError(
      ErrorCodes.INVALID_KEY,
      `The key to reuse is ${key.type}, but ${keyType} was asked for; nothing was ordered.`,
      { hint: 'give the key type the key has, or drop reuseKey for one renewal so a new key is made.' },
    );
  return exportPrivateKeyPem(key);
}
