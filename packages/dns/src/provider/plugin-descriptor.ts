import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { DnsProvider } from './dns-provider.js';

/** One configuration key of a provider. */
export interface ConfigOption {
  /** JSON type: `string`, `number`, `integer`, `boolean`, `array`, `object`. */
  readonly type: string;
  /** One line for `certkeeper plugins` and docs/providers.md; say the default. */
  readonly description?: string;
  /**
   * A credential: the CLI registers its value with the process's SecretRedactor (so it is scrubbed from every log,
   * error, `--json` line and stored record) and warns when it is written inline (use `{ env }` or `{ file }`).
   * When absent, the CLI guesses from the key (token, secret, password, ...).
   */
  readonly secret?: boolean;
  /** The accepted values of a string option. */
  readonly enum?: readonly string[];
}

/** A JSON-Schema-like description of a provider's configuration, for CLI help, docs and loaders. */
export interface ConfigSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, ConfigOption>>;
  readonly required?: readonly string[];
}

/** What someone choosing a provider needs to know; `certkeeper plugins` and docs/providers.md show it. */
export interface PluginAbout {
  /** The DNS host or protocol as people call it: `"Amazon Route 53"`. */
  readonly service: string;
  /** How the plugin authenticates and the least privilege to grant, in a sentence or two. */
  readonly auth: string;
  /** What is worth knowing before choosing it: record semantics, limits, what it cannot do. */
  readonly notes?: string;
  /** The service's API documentation. */
  readonly homepage?: string;
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
  /** For the provider table (docs/providers.md) and `certkeeper plugins`; first-party plugins all have it. */
  readonly about?: PluginAbout;
  create(config: Config): DnsProvider | Promise<DnsProvider>;
}

/**
 * Declares a provider plugin, checking its metadata at definition time so a broken package fails when loaded,
 * not in the middle of an order (fastify's lesson).
 */
export function defineDnsProviderPlugin<Config>(
  plugin: DnsProviderPlugin<Config>,
): DnsProviderPlugin<Config> {
  const about = plugin.about;
  const aboutBroken =
    about !== undefined && (!about.service?.trim() || !about.auth?.trim() || /\n/.test(about.service));
  if (!/^[a-z0-9][a-z0-9-]*$/.test(plugin.name) || !/^\d+\.\d+\.\d+/.test(plugin.version) || aboutBroken) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `DNS provider plugin "${plugin.name}" has an invalid name, version "${plugin.version}" or about.`,
      {
        hint: 'Use a lower-case name like "route53", the package semver version, and about: { service, auth } on one line each.',
      },
    );
  }
  return Object.freeze({ ...plugin });
}
