import { CertkeeperError, ErrorCodes, type SecretRedactor } from '@certkeeper/core';
import { OVH_ENDPOINTS, type OvhEndpoint } from './endpoints.js';

/** Options of {@link ovh}; the config-file keys are the same (but `redactor`, code only). */
export interface OvhOptions {
  /** `ovh-eu` (default), `ovh-ca` or `ovh-us`: the API of the region the account belongs to. Default `$OVH_ENDPOINT`. */
  readonly endpoint?: OvhEndpoint;
  /** The application key. Default `$OVH_APPLICATION_KEY`. */
  readonly applicationKey?: string;
  /** The application secret. Default `$OVH_APPLICATION_SECRET`. */
  readonly applicationSecret?: string;
  /** A consumer key validated with the access rules below. Default `$OVH_CONSUMER_KEY`. */
  readonly consumerKey?: string;
  /** API root instead of the endpoint's, HTTPS only (tests point it at a fake): `https://host[:port]/1.0`. */
  readonly baseUrl?: string;
  /** Time limit per request. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Concurrent record reads (the API lists record ids; each record is one GET). Default 4. */
  readonly readConcurrency?: number;
  /**
   * Where the credentials are registered so no log or error can print them even if the API echoes them back.
   * Default: the process's (`processSecretRedactor()`).
   */
  readonly redactor?: SecretRedactor;
}

export interface ResolvedOptions {
  readonly endpoint: OvhEndpoint | undefined;
  readonly applicationKey: string;
  readonly applicationSecret: string;
  readonly consumerKey: string;
  readonly host: string;
  readonly port: number;
  readonly basePath: string;
  readonly timeoutMs: number;
  readonly readConcurrency: number;
}

/** @throws CertkeeperError INVALID_OPTION naming the option, never a credential. */
export function resolveOptions(options: OvhOptions): ResolvedOptions {
  const endpoint = options.endpoint ?? (process.env.OVH_ENDPOINT as OvhEndpoint | undefined);
  if (endpoint !== undefined && !(endpoint in OVH_ENDPOINTS))
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `OVH option endpoint must be one of ${Object.keys(OVH_ENDPOINTS).join(', ')}.`,
      {
        hint: 'Use the endpoint of the region where the account was created (ovh-eu for ovh.com/ovhcloud.com Europe).',
      },
    );
  const credentials = {
    applicationKey: options.applicationKey ?? process.env.OVH_APPLICATION_KEY,
    applicationSecret: options.applicationSecret ?? process.env.OVH_APPLICATION_SECRET,
    consumerKey: options.consumerKey ?? process.env.OVH_CONSUMER_KEY,
  };
  const missing = Object.entries(credentials)
    .filter(([, value]) => !value?.trim())
    .map(([key]) => key);
  if (missing.length > 0)
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `The OVHcloud DNS provider needs ${missing.join(', ')}.`,
      {
        hint: 'Create an application and a consumer key limited to the zone (see the @certkeeper/dns-ovh README), and pass them as options or set OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET and OVH_CONSUMER_KEY.',
      },
    );
  const root = new URL(options.baseUrl ?? OVH_ENDPOINTS[endpoint ?? 'ovh-eu']);
  if (root.protocol !== 'https:')
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, 'OVH option baseUrl must be an https:// URL.', {
      hint: 'The API is signed over its https:// URL; leave baseUrl out and set endpoint instead.',
    });
  const readConcurrency = options.readConcurrency ?? 4;
  if (!Number.isInteger(readConcurrency) || readConcurrency < 1 || readConcurrency > 16)
    throw new CertkeeperError(ErrorCodes.INVALID_OPTION, 'OVH option readConcurrency must be 1 to 16.', {
      hint: 'Leave it out to read 4 records at a time.',
    });
  return {
    endpoint,
    applicationKey: credentials.applicationKey!,
    applicationSecret: credentials.applicationSecret!,
    consumerKey: credentials.consumerKey!,
    host: root.hostname,
    port: root.port === '' ? 443 : Number(root.port),
    basePath: root.pathname.replace(/\/$/, ''),
    timeoutMs: options.timeoutMs ?? 30_000,
    readConcurrency,
  };
}
