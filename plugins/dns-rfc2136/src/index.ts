export type { Rfc2136Options, Rfc2136TsigKey } from './options.js';
export { type Rfc2136PluginConfig, rfc2136, rfc2136Plugin } from './plugin.js';
export { Rfc2136DnsProvider } from './rfc2136-provider.js';
export { TSIG_ALGORITHMS, type TsigAlgorithm } from './tsig/algorithms.js';
export { VERSION } from './version.js';
