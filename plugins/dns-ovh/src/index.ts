export { OVH_ENDPOINTS, type OvhEndpoint } from './endpoints.js';
export type { OvhOptions } from './options.js';
export { MIN_TTL, OvhDnsProvider } from './ovh-provider.js';
export {
  type OvhPluginConfig,
  ovh,
  ovhConfigSchema,
  ovhPlugin,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  ovhPlugin as plugin,
} from './plugin.js';
export { VERSION } from './version.js';
