export { CA_DIRECTORIES, directoryUrlOf } from './config/ca-directories.js';
export { type CertkeeperConfig, configSchema } from './config/config-schema.js';
export { INIT_TEMPLATE } from './config/init-template.js';
export { type LoadedConfig, loadConfig } from './config/load-config.js';
export { ExitCode, type ExitCodeValue, exitCodeFor } from './exit-codes.js';
export { main } from './main.js';
export { FIRST_PARTY_PLUGINS, loadDnsPlugin, pluginPackageName } from './plugins/load-plugin.js';
export { listPlugins, type OptionListing, type PluginListing } from './plugins/plugin-listing.js';
export {
  PROVIDER_TABLE_COMMAND,
  PROVIDER_TABLE_PATH,
  renderProviderTable,
} from './plugins/provider-table.js';
export { buildProgram } from './program.js';
export type { GlobalFlags } from './settings/global-flags.js';
export { resolveSettings } from './settings/resolve-settings.js';
export type { CertificateSpec, Settings, SolverSpec } from './settings/settings.js';
