import { CertkeeperError } from '@certkeeper/core';
import type { PluginAbout } from '@certkeeper/dns';
import { loadDnsPlugin, pluginPackageName } from './load-plugin.js';
import { isSecretOption, optionEnvName } from './plugin-options.js';

/** One option of a plugin as its descriptor documents it. */
export interface OptionListing {
  readonly key: string;
  readonly type: string;
  readonly required: boolean;
  readonly secret: boolean;
  readonly description?: string;
  /** The variable `--dns <name>` reads this option from. */
  readonly env: string;
}

/** A plugin as `certkeeper plugins` and docs/providers.md show it: from its descriptor, or why it is missing. */
export interface PluginListing {
  readonly name: string;
  readonly package: string;
  readonly installed: boolean;
  readonly version?: string;
  readonly about?: PluginAbout;
  readonly error?: string;
  readonly options?: readonly OptionListing[];
}

/** Loads each plugin by name and describes it; a plugin that fails to load is listed with the reason. */
export async function listPlugins(
  names: readonly string[],
  searchFrom: readonly string[],
): Promise<PluginListing[]> {
  const listings: PluginListing[] = [];
  for (const name of names) {
    try {
      const { plugin, packageName } = await loadDnsPlugin(name, { searchFrom });
      const schema = plugin.configSchema;
      listings.push({
        name: plugin.name,
        package: packageName,
        installed: true,
        version: plugin.version,
        ...(plugin.about ? { about: plugin.about } : {}),
        options:
          typeof schema === 'function'
            ? []
            : Object.entries(schema.properties).map(([key, spec]) => ({
                key,
                type: spec.type,
                required: schema.required?.includes(key) ?? false,
                secret: spec.secret ?? isSecretOption(key, spec.description),
                ...(spec.description ? { description: spec.description } : {}),
                env: optionEnvName(plugin.name, key),
              })),
      });
    } catch (error) {
      listings.push({
        name,
        package: pluginPackageName(name),
        installed: false,
        error: CertkeeperError.isInstance(error) ? error.message.split('\n')[0]! : String(error),
      });
    }
  }
  return listings;
}
