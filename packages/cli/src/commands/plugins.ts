import { dirname } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { FIRST_PARTY_PLUGINS } from '../plugins/load-plugin.js';
import { listPlugins, type PluginListing } from '../plugins/plugin-listing.js';
import { configFileOf } from '../settings/resolve-settings.js';
import type { CommandContext } from './context.js';

/**
 * `certkeeper plugins`: the DNS provider plugins certkeeper knows (its own, and any the config names), whether
 * each is installed, what it is for, how it authenticates, and its options as its descriptor documents them.
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
  const listings = await listPlugins(names, searchFrom);
  context.print(render(listings), { event: 'plugins', plugins: listings });
  return ExitCode.OK;
}

function render(listings: readonly PluginListing[]): string {
  const blocks = listings.map((listing) => {
    if (!listing.installed)
      return `${listing.name === listing.package ? listing.package : `${listing.name}  ${listing.package}`}  not installed (npm install -g ${listing.package})`;
    const about = listing.about
      ? [
          `  ${listing.about.service}`,
          `  auth: ${listing.about.auth}`,
          ...(listing.about.notes ? [`  notes: ${listing.about.notes}`] : []),
        ]
      : [];
    const options = (listing.options ?? []).map(
      (option) =>
        `    ${option.key} (${option.type}${option.required ? ', required' : ''}${option.secret ? ', secret' : ''})${option.description ? ` — ${option.description}` : ''}\n      from --dns: $${option.env}`,
    );
    return [`${listing.name}  ${listing.package} ${listing.version}`, ...about, ...options].join('\n');
  });
  return `${blocks.join('\n\n')}\n\nUse one: certkeeper issue --dns <name> <names…> (options from the variables shown), or a dns-01 solver in the config file.\nThe table of every first-party provider: docs/providers.md.`;
}
