import { dirname } from 'node:path';
import { CertkeeperError } from '@certkeeper/core';
import { loadConfig } from '../config/load-config.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { FIRST_PARTY_PLUGINS, loadDnsPlugin, pluginPackageName } from '../plugins/load-plugin.js';
import { isSecretOption, optionEnvName } from '../plugins/plugin-options.js';
import { configFileOf } from '../settings/resolve-settings.js';
import type { CommandContext } from './context.js';

interface PluginListing {
  readonly name: string;
  readonly package: string;
  readonly installed: boolean;
  readonly version?: string;
  readonly error?: string;
  readonly options?: readonly {
    readonly key: string;
    readonly type: string;
    readonly required: boolean;
    readonly secret: boolean;
    readonly description?: string;
    /** The variable `--dns <name>` reads this option from. */
    readonly env: string;
  }[];
}

/**
 * `certkeeper plugins`: the DNS provider plugins certkeeper knows (its own, and any the config names), whether
 * each is installed, and its options as its descriptor documents them.
 */
export async function pluginsCommand(context: CommandContext): Promise<ExitCodeValue> {
  const names: string[] = [...FIRST_PARTY_PLUGINS];
  const searchFrom = [context.cwd];
  const file = await configFileOf(context.flags, context);
  if (file) {
    const { config } = await loadConfig(file);
    searchFrom.unshift(dirname(file));
    for (const solver of config.solvers ?? [])
      if (solver.type === 'dns-01' && !names.includes(solver.provider)) names.push(solver.provider);
  }
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
        options:
          typeof schema === 'function'
            ? []
            : Object.entries(schema.properties).map(([key, spec]) => ({
                key,
                type: spec.type,
                required: schema.required?.includes(key) ?? false,
                secret: isSecretOption(key, spec),
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
  context.print(render(listings), { event: 'plugins', plugins: listings });
  return ExitCode.OK;
}

function render(listings: readonly PluginListing[]): string {
  const blocks = listings.map((listing) => {
    if (!listing.installed)
      return `${listing.name === listing.package ? listing.package : `${listing.name}  ${listing.package}`}  not installed (npm install -g ${listing.package})`;
    const options = (listing.options ?? []).map(
      (option) =>
        `    ${option.key} (${option.type}${option.required ? ', required' : ''}${option.secret ? ', secret' : ''})${option.description ? ` — ${option.description}` : ''}\n      from --dns: $${option.env}`,
    );
    return [`${listing.name}  ${listing.package} ${listing.version}`, ...options].join('\n');
  });
  return `${blocks.join('\n\n')}\n\nUse one: certkeeper issue --dns <name> <names…> (options from the variables shown), or a dns-01 solver in the config file.`;
}
