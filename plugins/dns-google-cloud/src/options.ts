import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/** Options of {@link googleCloudDns}; the config-file keys are the same. */
export interface GoogleCloudDnsOptions {
  /**
   * A service-account key, the JSON text Google issues (`{ "type": "service_account", ... }`). Default: application
   * default credentials ($GOOGLE_APPLICATION_CREDENTIALS, gcloud's file, then the metadata server).
   */
  readonly serviceAccountKey?: string;
  /** The project holding the managed zones. Default: the key's `project_id`, then $GOOGLE_CLOUD_PROJECT. */
  readonly project?: string;
  /** Use this managed zone (its name, not its DNS name) instead of finding it by DNS name. */
  readonly managedZone?: string;
  /** API root. Default `https://dns.googleapis.com/dns/v1` (tests point it at a fake). */
  readonly baseUrl?: string;
  /** Metadata server for application default credentials off a key. Default $GCE_METADATA_HOST or metadata.google.internal. */
  readonly metadataHost?: string;
  /** Time limit per request. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Items per listing page (`maxResults`). Default 100. */
  readonly pageSize?: number;
  /** Longest `Retry-After` waited inline; longer waits fail at once with the time. Default 5000 ms. */
  readonly maxRetryWaitMs?: number;
  /** How long a write waits for its change to turn from `pending` to `done`. Default 60 000 ms. */
  readonly changeTimeoutMs?: number;
  /** First wait before reading a pending change again; later waits grow by half, up to 5 s. Default 500 ms. */
  readonly changePollMs?: number;
}

export interface ResolvedOptions {
  readonly serviceAccountKey: string | undefined;
  readonly project: string | undefined;
  readonly managedZone: string | undefined;
  readonly baseUrl: string;
  readonly metadataHost: string;
  readonly timeoutMs: number;
  readonly pageSize: number;
  readonly maxRetryWaitMs: number;
  readonly changeTimeoutMs: number;
  readonly changePollMs: number;
}

export const PROVIDER_NAME = 'google-cloud';

/** @throws CertkeeperError INVALID_OPTION naming the option, never a key. */
export function resolveOptions(options: GoogleCloudDnsOptions): ResolvedOptions {
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      'Google Cloud DNS option pageSize must be 1 to 1000.',
      {
        hint: 'Leave it out to use 100.',
      },
    );
  return {
    serviceAccountKey: options.serviceAccountKey?.trim() ? options.serviceAccountKey : undefined,
    project: options.project ?? process.env.GOOGLE_CLOUD_PROJECT,
    managedZone: options.managedZone,
    baseUrl: options.baseUrl ?? 'https://dns.googleapis.com/dns/v1',
    metadataHost: options.metadataHost ?? process.env.GCE_METADATA_HOST ?? 'metadata.google.internal',
    timeoutMs: options.timeoutMs ?? 30_000,
    pageSize,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 5000,
    changeTimeoutMs: options.changeTimeoutMs ?? 60_000,
    changePollMs: options.changePollMs ?? 500,
  };
}
