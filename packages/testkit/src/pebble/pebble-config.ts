import type { StartPebbleOptions } from './pebble-options.js';

export interface PebblePorts {
  readonly listen: number;
  readonly management: number;
  readonly http: number;
  readonly tls: number;
}

export interface PebbleFiles {
  readonly certificate: string;
  readonly privateKey: string;
}

/**
 * Pebble's JSON config (fields of `config.Pebble` in cmd/pebble/main.go, v2.10.0). Listeners bind 127.0.0.1 only:
 * tests must not expose a CA that hands out its root keys to the network. Certificate lifetimes are per profile
 * since 2.10 (the top-level `certificateValidityPeriod` is ignored): without `profiles` the CA has one, `default`,
 * with `certificateValidityPeriodSeconds`, so an order without a profile always gets it (with several, Pebble
 * picks one at random).
 */
export function pebbleConfig(
  ports: PebblePorts,
  files: PebbleFiles,
  macKeys: Readonly<Record<string, string>>,
  options: StartPebbleOptions,
): unknown {
  return {
    pebble: {
      listenAddress: `127.0.0.1:${ports.listen}`,
      managementListenAddress: `127.0.0.1:${ports.management}`,
      certificate: files.certificate,
      privateKey: files.privateKey,
      httpPort: ports.http,
      tlsPort: ports.tls,
      ocspResponderURL: '',
      externalAccountBindingRequired: options.externalAccountBinding
        ? (options.externalAccountBinding.required ?? true)
        : false,
      externalAccountMACKeys: macKeys,
      domainBlocklist: options.domainBlocklist ?? [],
      profiles: Object.fromEntries(
        Object.entries(
          options.profiles ?? {
            default: {
              description: 'The default profile',
              ...(options.certificateValidityPeriodSeconds !== undefined
                ? { validityPeriodSeconds: options.certificateValidityPeriodSeconds }
                : {}),
            },
          },
        ).map(([name, profile]) => [
          name,
          {
            description: profile.description ?? name,
            // 0 means Pebble's default, 90 days.
            validityPeriod: profile.validityPeriodSeconds ?? 0,
          },
        ]),
      ),
    },
  };
}

/** Pebble's environment: the caller's PATH and locale, none of the caller's PEBBLE_* knobs, our defaults. */
export function pebbleEnvironment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('PEBBLE_')),
  );
  return {
    ...inherited,
    // No random 0-15 s sleep before each validation: tests would take minutes.
    PEBBLE_VA_NOSLEEP: '1',
    // Pebble rejects 5 % of good nonces by default. That makes request counts random; tests inject badNonce
    // deterministically through the fault proxy instead, or opt back in with env.
    PEBBLE_WFE_NONCEREJECT: '0',
    ...extra,
  };
}
