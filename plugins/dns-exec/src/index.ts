export { ExecDnsProvider } from './exec-provider.js';
export { EXIT_CODES } from './exit-codes.js';
export type { ExecOptions } from './options.js';
export { type ExecPluginConfig, exec, execPlugin } from './plugin.js';
export { VERSION } from './version.js';
