import type { ChangeBatcher, DnsProvider, ZoneLister } from '@certkeeper/dns';
import type { Route53Options } from './route53-options.js';
import { Route53DnsProvider } from './route53-provider.js';

export {
  parseRoute53Config,
  type Route53PluginConfig,
  route53ConfigSchema,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  route53Plugin as plugin,
  route53Plugin,
} from './plugin.js';
export type { Route53Options } from './route53-options.js';
export { Route53DnsProvider } from './route53-provider.js';
export { quoteTxt, unquoteTxt } from './txt-quoting.js';

/**
 * A Route 53 DNS provider for the dns-01 solver. Creating it makes no network call.
 *
 * @example
 * const solver = new Dns01Solver({ provider: route53() }); // default AWS credential chain
 */
export function route53(options: Route53Options = {}): Route53DnsProvider {
  return new Route53DnsProvider(options) satisfies DnsProvider & ZoneLister & ChangeBatcher;
}
