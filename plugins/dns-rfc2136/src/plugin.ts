import { type DnsProvider, type DnsProviderPlugin, defineDnsProviderPlugin } from '@certkeeper/dns';
import { invalidOption, type Rfc2136Options } from './options.js';
import { Rfc2136DnsProvider } from './rfc2136-provider.js';
import { findAlgorithm, TSIG_ALGORITHMS, type TsigAlgorithm } from './tsig/algorithms.js';
import { VERSION } from './version.js';

/**
 * The flat configuration a config file gives (`provider: { name: "rfc2136", ... }`); the names match the
 * environment variables lego and certbot users know (`RFC2136_NAMESERVER`, `RFC2136_TSIG_KEY`, ...).
 */
export interface Rfc2136PluginConfig {
  readonly server: string;
  readonly keyName?: string;
  readonly keyAlgorithm?: TsigAlgorithm;
  readonly keySecret?: string;
  readonly protocol?: 'udp' | 'tcp';
  readonly timeoutMs?: number;
  readonly fudgeSeconds?: number;
}

/** Loads the provider by package name: `configSchema` documents the options, `create` validates them. */
export const rfc2136Plugin: DnsProviderPlugin<Rfc2136PluginConfig> =
  defineDnsProviderPlugin<Rfc2136PluginConfig>({
    name: 'rfc2136',
    version: VERSION,
    configSchema: {
      type: 'object',
      properties: {
        server: {
          type: 'string',
          description: 'Primary nameserver IP address with optional port, e.g. "192.0.2.53:53".',
        },
        keyName: { type: 'string', description: "TSIG key name (the name in the server's key clause)." },
        keyAlgorithm: {
          type: 'string',
          description:
            'hmac-sha256 (default), hmac-sha512, hmac-sha384, hmac-sha224, hmac-sha1 or hmac-md5 (legacy).',
        },
        keySecret: {
          type: 'string',
          description: 'TSIG secret, base64. Secret: keep it out of logs and version control.',
          secret: true,
        },
        protocol: {
          type: 'string',
          description: '"udp" (default; TCP when an answer is truncated) or "tcp".',
        },
        timeoutMs: { type: 'number', description: 'Time limit per exchange in milliseconds (default 5000).' },
        fudgeSeconds: {
          type: 'number',
          description: 'Allowed clock difference for TSIG in seconds (default 300).',
        },
      },
      required: ['server'],
    },
    about: {
      service: 'RFC 2136 dynamic update (BIND 9, Knot, PowerDNS, Windows DNS)',
      auth: 'A TSIG key (hmac-sha256 by default) the server allows to update TXT records below _acme-challenge only (BIND update-policy, PowerDNS TSIG-ALLOW-DNSUPDATE).',
      notes:
        'Adds and deletes single records atomically, so any number of writers are safe; the server is given as an IP address.',
      homepage: 'https://www.rfc-editor.org/rfc/rfc2136',
    },
    create: (config) => rfc2136(fromConfig(config)),
  });

/** Creates the provider; see {@link Rfc2136Options}. Touches no network until the first call. */
export function rfc2136(options: Rfc2136Options): Rfc2136DnsProvider {
  // `satisfies` keeps the port contract checked at compile time (STYLE.md, "What to take" 9).
  return new Rfc2136DnsProvider(options) satisfies DnsProvider;
}

function fromConfig(config: Rfc2136PluginConfig): Rfc2136Options {
  const keyGiven = config.keyName !== undefined || config.keySecret !== undefined;
  // The plugin's own option names in its errors (the library's are tsig.name, tsig.secret, tsig.algorithm).
  if (keyGiven) {
    if (typeof config.keyName !== 'string' || config.keyName.trim() === '')
      invalidOption('keyName', "is empty: give the TSIG key's name (the name in the server's key clause)");
    if (typeof config.keySecret !== 'string' || config.keySecret.trim() === '')
      invalidOption('keySecret', `is empty: give the base64 secret of key "${config.keyName}"`);
    if (config.keyAlgorithm !== undefined && !findAlgorithm(config.keyAlgorithm))
      invalidOption(
        'keyAlgorithm',
        `"${String(config.keyAlgorithm)}" is not one of ${TSIG_ALGORITHMS.join(', ')}`,
      );
  }
  return {
    server: config.server,
    ...(keyGiven
      ? {
          tsig: {
            name: config.keyName ?? '',
            secret: config.keySecret ?? '',
            ...(config.keyAlgorithm ? { algorithm: config.keyAlgorithm } : {}),
          },
        }
      : {}),
    ...(config.protocol ? { protocol: config.protocol } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.fudgeSeconds !== undefined ? { fudgeSeconds: config.fudgeSeconds } : {}),
  };
}
