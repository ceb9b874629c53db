import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * What decides how a certificate is ordered and proven, as far as a failure could depend on it. Only non-secret
 * settings belong here: a secret's reference (`{ env: NAME }`) may be given, its value never.
 */
export interface IssuanceConfiguration {
  readonly directoryUrl: string;
  readonly keyType?: string;
  readonly profile?: string;
  /** In configured order: each solver's type and its settings (webroot, listen address, DNS plugin and zones…). */
  readonly solvers: ReadonlyArray<{
    readonly type: string;
    readonly settings?: Readonly<Record<string, unknown>>;
  }>;
}

/**
 * A short, stable fingerprint of an {@link IssuanceConfiguration} (SHA-256 of its RFC 8785 canonical JSON, so key
 * order does not matter). A failure backoff keeps the fingerprint it was recorded under: once the configuration
 * changes — the fix the failure asked for — the backoff no longer defers.
 */
export function issuanceFingerprint(configuration: IssuanceConfiguration): string {
  const canonical = canonicalize({
    directoryUrl: configuration.directoryUrl,
    keyType: configuration.keyType ?? null,
    profile: configuration.profile ?? null,
    solvers: configuration.solvers.map((solver) => ({ type: solver.type, settings: solver.settings ?? {} })),
  });
  return `sha256:${createHash('sha256')
    .update(canonical ?? '')
    .digest('hex')
    .slice(0, 32)}`;
}
