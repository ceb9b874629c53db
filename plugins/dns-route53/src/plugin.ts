import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { type ConfigSchema, defineDnsProviderPlugin } from '@certkeeper/dns';
import type { Route53Options } from './route53-options.js';
import { Route53DnsProvider } from './route53-provider.js';

/** The configuration-file form of {@link Route53Options} (flat, JSON/YAML friendly). Every key is optional. */
export interface Route53PluginConfig {
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly hostedZoneIds?: Readonly<Record<string, string>>;
  readonly maxAttempts?: number;
  readonly waitForSync?: boolean;
  readonly syncTimeoutMs?: number;
  readonly syncPollIntervalMs?: number;
}

export const route53ConfigSchema = {
  type: 'object',
  properties: {
    accessKeyId: {
      type: 'string',
      description: 'Static access key id; omit to use the default credential chain.',
    },
    secretAccessKey: {
      type: 'string',
      description: 'Secret for accessKeyId (a secret: prefer the chain).',
      secret: true,
    },
    sessionToken: {
      type: 'string',
      description: 'Session token for temporary static credentials.',
      secret: true,
    },
    profile: { type: 'string', description: 'Shared config profile to take credentials from.' },
    region: { type: 'string', description: 'Signing region; default us-east-1 (Route 53 is global).' },
    endpoint: { type: 'string', description: 'Alternative endpoint URL (VPC endpoint, local fake).' },
    hostedZoneIds: { type: 'object', description: 'Zone apex -> hosted zone id; skips the zone lookup.' },
    maxAttempts: { type: 'integer', description: 'Attempts per API call incl. the first; default 5.' },
    waitForSync: { type: 'boolean', description: 'Wait for INSYNC after each change; default true.' },
    syncTimeoutMs: { type: 'integer', description: 'Longest INSYNC wait in ms; default 120000.' },
    syncPollIntervalMs: {
      type: 'integer',
      description: 'First GetChange poll after this many ms; default 2000.',
    },
  },
} as const satisfies ConfigSchema;

/**
 * Checks a configuration object and turns it into {@link Route53Options}.
 *
 * @throws CertkeeperError INVALID_OPTION naming the key that is wrong (never its value: it may be a secret).
 */
export function parseRoute53Config(config: unknown): Route53Options {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) throw invalid('the configuration', 'an object');
  const input = config as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!(key in route53ConfigSchema.properties))
      throw invalid(`"${key}"`, `one of ${Object.keys(route53ConfigSchema.properties).join(', ')}`);
  }
  for (const [key, spec] of Object.entries(route53ConfigSchema.properties)) {
    const value = input[key];
    if (value === undefined) continue;
    const ok =
      spec.type === 'integer'
        ? Number.isInteger(value) && (value as number) > 0
        : spec.type === 'object'
          ? typeof value === 'object' &&
            value !== null &&
            Object.values(value).every((id) => typeof id === 'string')
          : typeof value === spec.type && value !== '';
    if (!ok)
      throw invalid(
        `"${key}"`,
        spec.type === 'object'
          ? 'an object of strings'
          : `a non-empty ${spec.type === 'integer' ? 'positive integer' : spec.type}`,
      );
  }
  const typed = input as Route53PluginConfig;
  if ((typed.accessKeyId === undefined) !== (typed.secretAccessKey === undefined)) {
    throw invalid(
      '"accessKeyId" and "secretAccessKey"',
      'given together (or both omitted for the default chain)',
    );
  }
  const { accessKeyId, secretAccessKey, sessionToken, ...rest } = typed;
  return {
    ...rest,
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } }
      : {}),
  };
}

function invalid(what: string, expected: string): CertkeeperError {
  return new CertkeeperError(
    ErrorCodes.INVALID_OPTION,
    `Route 53 provider configuration: ${what} must be ${expected}.`,
    {
      hint: 'See the option table in the @certkeeper/dns-route53 README.',
    },
  );
}

/** Loaded by the CLI from the package name: `{ "dns": { "provider": "@certkeeper/dns-route53", ... } }`. */
export const route53Plugin = defineDnsProviderPlugin<Route53PluginConfig>({
  name: 'route53',
  version: '0.1.0',
  configSchema: route53ConfigSchema,
  about: {
    service: 'Amazon Route 53',
    auth: 'AWS default credential chain (a role is best) or static keys; IAM: ChangeResourceRecordSets limited to TXT at _acme-challenge.* on the zone, ListResourceRecordSets, GetChange, ListHostedZones* (not with hostedZoneIds).',
    notes:
      'One record set per name: read, add or remove the value, write back in a change batch that fails if another writer changed the set (then retried); one batch per zone per order; waits for INSYNC.',
    homepage: 'https://docs.aws.amazon.com/Route53/latest/APIReference/',
  },
  create: (config) => new Route53DnsProvider(parseRoute53Config(config)),
});
