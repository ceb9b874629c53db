export type { PowerDnsOptions } from './options.js';
export { type PowerDnsPluginConfig, powerdns, powerdnsPlugin } from './plugin.js';
export { PowerDnsProvider } from './powerdns-provider.js';
export { quoteTxt, unquoteTxt } from './txt-content.js';
export { VERSION } from './version.js';
