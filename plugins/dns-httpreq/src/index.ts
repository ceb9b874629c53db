export { HttpreqDnsProvider } from './httpreq-provider.js';
export type { HttpreqOptions } from './options.js';
export {
  type HttpreqPluginConfig,
  httpreq,
  httpreqConfigSchema,
  httpreqPlugin,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  httpreqPlugin as plugin,
} from './plugin.js';
export { HttpreqRawSolver, type HttpreqRawSolverOptions } from './raw/httpreq-raw-solver.js';
export { VERSION } from './version.js';
