import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { DnsProviderPlugin } from '@certkeeper/dns';

/** The DNS plugins certkeeper's own team publishes; `certkeeper plugins` lists them installed or not. */
export const FIRST_PARTY_PLUGINS = [
  'rfc2136',
  'exec',
  'powerdns',
  'route53',
  'cloudflare',
  'digitalocean',
  'hetzner',
  'desec',
  'gandi',
  'httpreq',
  'acme-dns',
  'google-cloud',
  'azure',
  'linode',
  'dnsimple',
  'ovh',
] as const;

/**
 * The first-party plugins, imported by literal name so the CLI's bundle carries each as its own chunk (sharing
 * the bundle's copy of core and dns, loaded only when a solver uses it); a variable name would leave the bundle
 * importing the package's dist, with a second copy of core and dns beside the bundled one.
 */
const BUNDLED_PLUGINS: Readonly<
  Record<(typeof FIRST_PARTY_PLUGINS)[number], () => Promise<Record<string, unknown>>>
> = {
  rfc2136: () => import('@certkeeper/dns-rfc2136'),
  exec: () => import('@certkeeper/dns-exec'),
  powerdns: () => import('@certkeeper/dns-powerdns'),
  route53: () => import('@certkeeper/dns-route53'),
  cloudflare: () => import('@certkeeper/dns-cloudflare'),
  digitalocean: () => import('@certkeeper/dns-digitalocean'),
  hetzner: () => import('@certkeeper/dns-hetzner'),
  desec: () => import('@certkeeper/dns-desec'),
  gandi: () => import('@certkeeper/dns-gandi'),
  httpreq: () => import('@certkeeper/dns-httpreq'),
  'acme-dns': () => import('@certkeeper/dns-acme-dns'),
  'google-cloud': () => import('@certkeeper/dns-google-cloud'),
  azure: () => import('@certkeeper/dns-azure'),
  linode: () => import('@certkeeper/dns-linode'),
  dnsimple: () => import('@certkeeper/dns-dnsimple'),
  ovh: () => import('@certkeeper/dns-ovh'),
};

export interface LoadedPlugin {
  readonly packageName: string;
  readonly exportName: string;
  readonly plugin: DnsProviderPlugin<unknown>;
}

/** `rfc2136` → `@certkeeper/dns-rfc2136`; a scoped or `certkeeper-`-prefixed package name is used as is. */
export function pluginPackageName(name: string): string {
  return name.startsWith('@') || name.includes('/') || name.startsWith('certkeeper-')
    ? name
    : `@certkeeper/dns-${name}`;
}

/**
 * Import a DNS provider plugin by name and find its descriptor (the object `defineDnsProviderPlugin` returns):
 * the `default` export, an export named `plugin`, or the one export shaped like a descriptor. The package is
 * looked up from certkeeper's own installation first, then from each of `searchFrom` (the config file's
 * directory, the working directory), so a plugin installed next to either is found.
 *
 * @throws CertkeeperError PLUGIN_LOAD_FAILED naming the package, where it was looked for, and what to do.
 */
export async function loadDnsPlugin(
  name: string,
  options: { searchFrom?: readonly string[]; where?: string } = {},
): Promise<LoadedPlugin> {
  const packageName = pluginPackageName(name);
  const prefix = options.where ? `${options.where}: ` : '';
  let namespace: Record<string, unknown> | undefined;
  const tried: string[] = ['certkeeper’s own dependencies'];
  try {
    const firstParty = FIRST_PARTY_PLUGINS.find((plugin) => pluginPackageName(plugin) === packageName);
    namespace = await (firstParty ? BUNDLED_PLUGINS[firstParty]() : import(packageName));
  } catch (error) {
    if (!isNotFound(error, packageName)) throw importFailed(prefix, name, packageName, error);
  }
  for (const directory of options.searchFrom ?? []) {
    if (namespace) break;
    tried.push(directory);
    let resolved: string;
    try {
      resolved = createRequire(join(directory, 'noop.js')).resolve(packageName);
    } catch {
      continue;
    }
    try {
      namespace = await import(pathToFileURL(resolved).href);
    } catch (error) {
      throw importFailed(prefix, name, packageName, error);
    }
  }
  if (!namespace) {
    throw new CertkeeperError(
      ErrorCodes.PLUGIN_LOAD_FAILED,
      `${prefix}the DNS plugin "${name}" (package ${packageName}) is not installed; looked in ${tried.join(', ')}. Nothing was done.`,
      {
        hint: `install it next to certkeeper (npm install -g ${packageName}) or check the name; \`certkeeper plugins\` lists the installed plugins.`,
      },
    );
  }
  const found = findDescriptor(namespace);
  if (!found) {
    throw new CertkeeperError(
      ErrorCodes.PLUGIN_LOAD_FAILED,
      `${prefix}the package ${packageName} exports no DNS provider plugin descriptor (an object made by defineDnsProviderPlugin, with name, version, configSchema and create). Nothing was done.`,
      {
        hint: 'check that the package is a certkeeper DNS plugin, and that its version matches this certkeeper.',
      },
    );
  }
  return { packageName, exportName: found[0], plugin: found[1] };
}

function findDescriptor(
  namespace: Record<string, unknown>,
): [string, DnsProviderPlugin<unknown>] | undefined {
  for (const preferred of ['default', 'plugin']) {
    const value = namespace[preferred];
    if (isDescriptor(value)) return [preferred, value];
  }
  const candidates = Object.entries(namespace).filter(
    (entry): entry is [string, DnsProviderPlugin<unknown>] => isDescriptor(entry[1]),
  );
  return candidates.sort(([a], [b]) => a.localeCompare(b))[0];
}

function isDescriptor(value: unknown): value is DnsProviderPlugin<unknown> {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<DnsProviderPlugin<unknown>>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.version === 'string' &&
    typeof candidate.create === 'function' &&
    (typeof candidate.configSchema === 'function' ||
      (typeof candidate.configSchema === 'object' && candidate.configSchema !== null))
  );
}

function isNotFound(error: unknown, packageName: string): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((error as Error).message).includes(packageName)
  );
}

function importFailed(prefix: string, name: string, packageName: string, error: unknown): CertkeeperError {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new CertkeeperError(
    ErrorCodes.PLUGIN_LOAD_FAILED,
    `${prefix}the DNS plugin "${name}" (package ${packageName}) is installed but fails to import: ${reason}. Nothing was done.`,
    {
      hint: 'reinstall the package, or install a version built for this Node.js and certkeeper.',
      cause: error,
    },
  );
}
