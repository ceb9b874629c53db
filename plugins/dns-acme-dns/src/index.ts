export type { AcmeDnsAccount, AcmeDnsAccounts } from './accounts.js';
export { parseAccounts } from './accounts.js';
export { registerAccount } from './acme-dns-api.js';
export { AcmeDnsProvider } from './acme-dns-provider.js';
export type { AcmeDnsOptions } from './options.js';
export {
  type AcmeDnsPluginConfig,
  acmeDns,
  acmeDnsConfigSchema,
  acmeDnsPlugin,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  acmeDnsPlugin as plugin,
} from './plugin.js';
export { VERSION } from './version.js';
