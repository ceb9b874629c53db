import type { DnsProvider, ZoneLister } from '@certkeeper/dns';
import type { CloudflareOptions } from './cloudflare-options.js';
import { CloudflareDnsProvider } from './cloudflare-provider.js';

export type { CloudflareOptions } from './cloudflare-options.js';
export { CloudflareDnsProvider } from './cloudflare-provider.js';
export {
  type CloudflarePluginConfig,
  cloudflareConfigSchema,
  cloudflarePlugin,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  cloudflarePlugin as plugin,
  parseCloudflareConfig,
} from './plugin.js';
export { quoteContent, unquoteContent } from './txt-content.js';

/**
 * A Cloudflare DNS provider for the dns-01 solver. Creating it makes no network call.
 *
 * @throws CertkeeperError INVALID_OPTION when neither `apiToken` nor `CLOUDFLARE_API_TOKEN` is set.
 * @example
 * const solver = new Dns01Solver({ provider: cloudflare({ apiToken: process.env.CF_DNS_TOKEN }) });
 */
export function cloudflare(options: CloudflareOptions = {}): CloudflareDnsProvider {
  return new CloudflareDnsProvider(options) satisfies DnsProvider & ZoneLister;
}
