export { DesecDnsProvider } from './desec-provider.js';
export type { DesecOptions } from './options.js';
export {
  type DesecPluginConfig,
  desec,
  desecConfigSchema,
  desecPlugin,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  desecPlugin as plugin,
} from './plugin.js';
export { VERSION } from './version.js';
