import type { Route53Client, Route53ClientConfig } from '@aws-sdk/client-route-53';
import type { SecretRedactor } from '@certkeeper/core';

/** Options of {@link route53}. Everything is optional: the defaults suit one AWS account with the default chain. */
export interface Route53Options {
  /**
   * Where this provider registers its secrets at construction, so every sink scrubs them from what a DNS API
   * echoes back. Default: the process's (`processSecretRedactor()`).
   */
  readonly redactor?: SecretRedactor;
  /**
   * Static credentials or a credential provider. Default: the AWS SDK's default chain (environment variables,
   * shared config and SSO profiles, web identity, ECS and EC2 instance metadata), which is the recommended way.
   */
  readonly credentials?: Route53ClientConfig['credentials'];
  /** A profile from the shared AWS config files, for hosts working with several accounts. */
  readonly profile?: string;
  /** Signing region. Route 53 is global and signs in `us-east-1` (the default); China and GovCloud differ. */
  readonly region?: string;
  /** Another endpoint, e.g. a local fake in tests or a VPC endpoint. */
  readonly endpoint?: string;
  /**
   * Zone apex → hosted zone id (`Z0123…`), skipping the ListHostedZonesByName lookup. Needed when the
   * credentials may not list zones, and to pin one of several zones with the same name.
   */
  readonly hostedZoneIds?: Readonly<Record<string, string>>;
  /** Attempts per API call, the first included; the SDK backs off on throttling, 5xx and network errors. Default 5. */
  readonly maxAttempts?: number;
  /** Wait for each change to be INSYNC before resolving. Default true. */
  readonly waitForSync?: boolean;
  /** Longest wait for INSYNC; after it the write still counts as done. Default 120 000 ms. */
  readonly syncTimeoutMs?: number;
  /** First GetChange poll after this long, then backing off to 5 s. Default 2 000 ms. */
  readonly syncPollIntervalMs?: number;
  /** Attempts when another writer changed a record set between our read and our write. Default 5. */
  readonly conflictAttempts?: number;
  /** Concurrent record-set reads in one batch. Default 4 (Route 53 allows 5 requests/s per account). */
  readonly readConcurrency?: number;
  /** A ready-made client (custom middleware, proxies); the options above that configure a client are ignored. */
  readonly client?: Route53Client;
}
