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
  /** A zone the provider does not host. Default: a random name under `.invalid`. */
  readonly absentZone?: string;
}

export type DnsConformanceFactory = () => DnsConformanceSubject | Promise<DnsConformanceSubject>;

/**
 * Cases a provider cannot take part in, each with the reason (shown in the suite title). Only cases about a
 * feature the service lacks belong here: a service without credentials cannot reject them.
 */
export interface DnsConformanceOptions {
  readonly notApplicable?: { readonly badCredentials?: string };
  /** Per-case time limit for slow APIs. Default 30 s. */
  readonly timeoutMs?: number;
}
