import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { DnsProvider } from './dns-provider.js';

/** A JSON-Schema-like description of a provider's configuration, for CLI help, docs and loaders. */
export interface ConfigSchema {
  readonly type: 'object';
  readonly properties: Readonly<
    Record<
      string,
      {
        readonly type: string;
        readonly description?: string;
        /**
         * The value is a credential: loaders register it with the process's SecretRedactor (so it is scrubbed from
         * every log, error and stored record) and warn when it is written inline in a config file.
         */
        readonly secret?: boolean;
      }
    >
  >;
  readonly required?: readonly string[];
}

/**
 * What a provider package exports so the CLI and manager can load it by package name from a config file.
 *
 * - `name` is the short provider name used in configuration (`"route53"`); `version` the package version.
 * - `configSchema` is either a JSON-Schema-like object (the loader validates with a schema validator) or a
 *   function that validates unknown input and returns the typed config, throwing `INVALID_OPTION` otherwise.
 * - `create` MUST NOT touch the network; the first provider call does.
 */
export interface DnsProviderPlugin<Config = unknown> {
  readonly name: string;
  readonly version: string;
  readonly configSchema: ConfigSchema | ((config: unknown) => Config);
  create(config: Config): DnsProvider | Promise<DnsProvider>;
}

/**
 * Declares a provider plugin, checking its metadata at definition time so a broken package fails when loaded,
 * not in the middle of an order (fastify's lesson).
 */
export function defineDnsProviderPlugin<Config>(
  plugin: DnsProviderPlugin<Config>,
): DnsProviderPlugin<Config> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(plugin.name) || !/^\d+\.\d+\.\d+/.test(plugin.version)) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `DNS provider plugin "${plugin.name}" has an invalid name or version "${plugin.version}".`,
      { hint: 'Use a lower-case name like "route53" and the package semver version.' },
    );
  }
  return Object.freeze({ ...plugin });
}
