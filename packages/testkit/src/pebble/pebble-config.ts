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
 * Pebble's JSON config (fields of `config.Pebble` in cmd/pebble/main.go, v2.4.0). Listeners bind 127.0.0.1 only:
 * tests must not expose a CA that hands out its root keys to the network.
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
      ...(options.certificateValidityPeriodSeconds !== undefined
        ? { certificateValidityPeriod: options.certificateValidityPeriodSeconds }
        : {}),
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
