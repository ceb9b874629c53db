import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { type ConfigSchema, defineDnsProviderPlugin } from '@certkeeper/dns';
import type { CloudflareOptions } from './cloudflare-options.js';
import { CloudflareDnsProvider } from './cloudflare-provider.js';

/** The configuration-file form of {@link CloudflareOptions}. */
export interface CloudflarePluginConfig {
  readonly apiToken?: string;
  readonly baseUrl?: string;
  readonly zoneIds?: Readonly<Record<string, string>>;
  readonly accountId?: string;
  readonly maxRetries?: number;
  readonly maxRetryWaitMs?: number;
  readonly timeoutMs?: number;
  readonly minTtl?: number;
  readonly pageSize?: number;
}

export const cloudflareConfigSchema = {
  type: 'object',
  properties: {
    apiToken: {
      type: 'string',
      description: 'API token (Zone:Zone:Read + Zone:DNS:Edit); default $CLOUDFLARE_API_TOKEN.',
      secret: true,
    },
    baseUrl: { type: 'string', description: 'API base URL; default https://api.cloudflare.com/client/v4.' },
    zoneIds: { type: 'object', description: 'Zone apex -> zone id; skips the zone lookup.' },
    accountId: { type: 'string', description: 'Only use zones of this account.' },
    maxRetries: { type: 'integer', description: 'SDK retries after the first attempt; default 2.' },
    maxRetryWaitMs: {
      type: 'integer',
      description: 'Longest Retry-After waited inline, in ms; default 10000.',
    },
    timeoutMs: { type: 'integer', description: 'Per-request timeout in ms; default 30000.' },
    minTtl: {
      type: 'integer',
      description: 'Lowest TTL the zone accepts (60, or 30 on Enterprise); default 60.',
    },
    pageSize: { type: 'integer', description: 'Records per listing page; default 100.' },
  },
} as const satisfies ConfigSchema;

/**
 * Checks a configuration object and turns it into {@link CloudflareOptions}.
 *
 * @throws CertkeeperError INVALID_OPTION naming the key that is wrong (never its value: the token is a secret).
 */
export function parseCloudflareConfig(config: unknown): CloudflareOptions {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) throw invalid('the configuration', 'an object');
  const input = config as Record<string, unknown>;
  const known = Object.keys(cloudflareConfigSchema.properties);
  for (const key of Object.keys(input))
    if (!known.includes(key)) throw invalid(`"${key}"`, `one of ${known.join(', ')}`);
  for (const [key, spec] of Object.entries(cloudflareConfigSchema.properties)) {
    const value = input[key];
    if (value === undefined) continue;
    const ok =
      spec.type === 'integer'
        ? Number.isInteger(value) && (value as number) >= 0
        : spec.type === 'object'
          ? typeof value === 'object' &&
            value !== null &&
            Object.values(value).every((id) => typeof id === 'string')
          : typeof value === 'string' && value !== '';
    if (!ok)
      throw invalid(
        `"${key}"`,
        spec.type === 'object'
          ? 'an object of strings'
          : spec.type === 'integer'
            ? 'a whole number'
            : 'a non-empty string',
      );
  }
  return input as CloudflareOptions;
}

function invalid(what: string, expected: string): CertkeeperError {
  return new CertkeeperError(
    ErrorCodes.INVALID_OPTION,
    `Cloudflare provider configuration: ${what} must be ${expected}.`,
    {
      hint: 'See the option table in the @certkeeper/dns-cloudflare README.',
    },
  );
}

/** Loaded by the CLI from the package name. */
export const cloudflarePlugin = defineDnsProviderPlugin<CloudflarePluginConfig>({
  name: 'cloudflare',
  version: '0.1.0',
  configSchema: cloudflareConfigSchema,
  about: {
    service: 'Cloudflare DNS',
    auth: 'A user or account API token with Zone:Zone:Read and Zone:DNS:Edit on the zones in use (DNS:Edit alone with zoneIds); never the global API key.',
    notes:
      'One record per TXT value, so concurrent writers need no lock; duplicate creates (81058) count as success; long Retry-After waits are handed to the caller.',
    homepage: 'https://developers.cloudflare.com/api/resources/dns/subresources/records/',
  },
  create: (config) => new CloudflareDnsProvider(parseCloudflareConfig(config)),
});
