import type { DnsProvider } from '@certkeeper/dns';

/** What a provider author hands the kit: a provider bound to a zone it may write test records into. */
export interface DnsConformanceSubject {
  readonly provider: DnsProvider;
  /** A zone the provider hosts. Cases write only below random `_acme-challenge.ckt-*` names and delete them. */
  readonly zone: string;
  /** Called after every case, also after a failure. */
  readonly cleanup?: () => Promise<void>;
  /** The TTL the provider reports for a requested TTL (minimums, fixed TTLs). Default: the requested TTL. */
  readonly expectedTtl?: (requested: number) => number;
  /** The same provider with credentials the service rejects. Required unless declared not applicable. */
  readonly withBadCredentials?: () => DnsProvider;
  /**
   * A second provider object configured like `provider`, sharing nothing with it in memory (no lock, no cache):
   * what another process would hold. Required unless `twoInstances` is declared not applicable.
   */
  readonly secondInstance?: () => DnsProvider;
  /** A zone the provider does not host. Default: a random name under `.invalid`. */
  readonly absentZone?: string;
  /**
   * A relative name the provider may write, a fresh one per call. Default: a random `_acme-challenge.ckt-*` name.
   * A service that writes only names provisioned in advance (acme-dns: one registered subdomain per account)
   * hands out provisioned ones here and declares `arbitraryNames` not applicable.
   */
  readonly freshName?: () => string;
}

export type DnsConformanceFactory = () => DnsConformanceSubject | Promise<DnsConformanceSubject>;

/**
 * What a case needs from the service besides the port itself. A provider whose service lacks one declares it in
 * {@link DnsConformanceOptions.notApplicable} with the reason, and the cases needing it are left out (the suite
 * title names them and the reason).
 */
export type DnsConformanceFeature =
  /** The service rejects credentials (cases: bad-credentials). */
  | 'badCredentials'
  /** Two processes may write one name at once (cases: two-instances). */
  | 'twoInstances'
  /** One value can be deleted and the others kept (cases that delete and check what is left). */
  | 'deletion'
  /** Any name in the zone can be written: the apex, deep names (cases: apex-and-deep-names). */
  | 'arbitraryNames'
  /** More than two values at one name (cases: concurrent-creates, two-instances). */
  | 'manyValues';

/**
 * Cases a provider cannot take part in, each with the reason (shown in the suite title). Only features the
 * service lacks belong here: a service without credentials cannot reject them; a service without conditional
 * writes cannot keep two processes writing one name from losing a value.
 */
export interface DnsConformanceOptions {
  readonly notApplicable?: { readonly [feature in DnsConformanceFeature]?: string };
  /** Per-case time limit for slow APIs. Default 30 s. */
  readonly timeoutMs?: number;
}
