import type { ChalltestsrvClient } from './challtestsrv-client.js';

/** External account binding (RFC 8555 §7.3.4) as Pebble enforces it. */
export interface PebbleEabOptions {
  /** Whether newAccount without a binding is refused. Defaults to true. */
  readonly required?: boolean;
  /**
   * Key ID → base64url HMAC key. Defaults to one generated pair, readable from
   * {@link PebbleHandle.externalAccountKeys}.
   */
  readonly macKeys?: Readonly<Record<string, string>>;
}

export interface StartPebbleOptions {
  /**
   * Extra environment for Pebble, over the harness defaults `PEBBLE_VA_NOSLEEP=1` and
   * `PEBBLE_WFE_NONCEREJECT=0`. Pebble's knobs: `PEBBLE_WFE_NONCEREJECT` (percent of good nonces rejected),
   * `PEBBLE_AUTHZREUSE` (percent), `PEBBLE_ALTERNATE_ROOTS`, `PEBBLE_CHAIN_LENGTH`, `PEBBLE_VA_ALWAYS_VALID`,
   * `PEBBLE_VA_SLEEPTIME`, `PEBBLE_WFE_ORDERS_PER_PAGE`.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Require external account binding. */
  readonly externalAccountBinding?: PebbleEabOptions;
  /**
   * Port Pebble's VA connects to for http-01. Defaults to a free port, so a test's own responder can listen on
   * {@link PebbleHandle.httpPort}. Best: start the responder on port 0 first and pass its port here, which
   * leaves no window for another process to take it.
   */
  readonly httpPort?: number;
  /** Port Pebble's VA connects to for tls-alpn-01; same rules as `httpPort`. */
  readonly tlsPort?: number;
  /**
   * Let pebble-challtestsrv itself answer these challenges on `httpPort` / `tlsPort` (then feed it with
   * `challtestsrv.addHttp01` / `addTlsAlpn01`). Off by default: the ports stay free for the code under test.
   */
  readonly challtestsrvResponders?: { readonly http01?: boolean; readonly tlsAlpn01?: boolean };
  /**
   * Where Pebble's validation authority resolves names, as `host:port`. Default: the harness's challtestsrv. Point
   * it at an authoritative server a test runs itself (BIND, PowerDNS) to validate dns-01 records that live there;
   * that server must then also answer every other name the VA looks up (A records for http-01, for example).
   */
  readonly dnsServer?: string;
  /** challtestsrv's answer to A questions without a mock; default `127.0.0.1`, where test responders listen. */
  readonly defaultIPv4?: string;
  /**
   * challtestsrv's answer to AAAA questions without a mock; default none (`''`), because test responders listen
   * on 127.0.0.1 and a `::1` answer would send the VA to an address nobody serves.
   */
  readonly defaultIPv6?: string;
  /** Pebble's `-strict` mode (challenge POST body must be exactly `{}`, no legacy fields). Default false. */
  readonly strict?: boolean;
  /** Validity of issued certificates in seconds, as the one `default` profile's (Pebble 2.10's default: 90 days). */
  readonly certificateValidityPeriodSeconds?: number;
  /**
   * The CA's profiles (directory `meta.profiles`, newOrder `profile`), each with its certificates' validity in
   * seconds (default 90 days). An order naming another profile is refused with `invalidProfile`; an order naming
   * none gets one of them at random. Replaces the single `default` profile `certificateValidityPeriodSeconds` sets.
   */
  readonly profiles?: Readonly<
    Record<string, { readonly description?: string; readonly validityPeriodSeconds?: number }>
  >;
  /** Domains Pebble refuses to issue for (`domainBlocklist`). */
  readonly domainBlocklist?: readonly string[];
  /** How long to wait for both servers to answer, per attempt. Default 15 000 ms. */
  readonly startupTimeoutMs?: number;
  /**
   * Binary paths; default `pebble` and `pebble-challtestsrv` 2.10 from `$CERTKEEPER_PEBBLE_DIR`, else
   * /usr/local/lib/certkeeper-pebble/current/usr/bin, where scripts/setup.sh unpacks Debian forky's package.
   */
  readonly pebbleBinary?: string;
  readonly challtestsrvBinary?: string;
}

/** A running Pebble + pebble-challtestsrv pair, private to one test file. */
export interface PebbleHandle {
  /** The ACME directory, e.g. `https://127.0.0.1:40123/dir`. */
  readonly directoryUrl: string;
  /** PEM of the throwaway CA that signed Pebble's listener certificate: the client's CA bundle. */
  readonly caBundlePem: string;
  /**
   * Pebble's management API (same TLS certificate): `/roots/<n>`, `/intermediates/<n>`, `/root-keys/<n>`,
   * `/intermediate-keys/<n>`, `/cert-status-by-serial/<hex serial>`.
   */
  readonly managementUrl: string;
  /** Port the VA connects to for http-01. */
  readonly httpPort: number;
  /** Port the VA connects to for tls-alpn-01. */
  readonly tlsPort: number;
  /** challtestsrv's DNS port on 127.0.0.1 (UDP and TCP); Pebble resolves every name through it unless `dnsServer` was given. */
  readonly dnsPort: number;
  /** Client for challtestsrv's management API: TXT, A, AAAA, CNAME, CAA, SERVFAIL mocks and request history. */
  readonly challtestsrv: ChalltestsrvClient;
  /** Key ID → base64url HMAC key when EAB was configured, else empty. */
  readonly externalAccountKeys: Readonly<Record<string, string>>;
  /** Process ids, to check from a test that nothing outlives `stop()`. */
  readonly pids: { readonly pebble: number | undefined; readonly challtestsrv: number | undefined };
  /** The temporary directory with Pebble's config and listener key; removed by `stop()`. */
  readonly configDir: string;
  /** Milliseconds from `startPebble()` to both servers answering. */
  readonly startupMs: number;
  /** Pebble's version, e.g. `2.10.0+ds1-2`. */
  readonly version: string;
  /** PEM of Pebble's issuing root `index` (0 = default chain; more with `PEBBLE_ALTERNATE_ROOTS`). */
  rootCertificatePem(index?: number): Promise<string>;
  /** PEM of the intermediate of chain `index`. */
  intermediateCertificatePem(index?: number): Promise<string>;
  /** Pebble's own view of a certificate it issued (management `/cert-status-by-serial/<hex serial>`). */
  certificateStatus(serialHex: string): Promise<{ readonly Status: string; readonly Reason?: number }>;
  /**
   * Make Pebble's renewalInfo (ARI) answer `ariResponse` for this certificate from now on — any text, a JSON
   * `{"suggestedWindow": {"start": …, "end": …}}` or something malformed (management `/set-renewal-info/`).
   */
  setRenewalInfo(certificatePem: string, ariResponse: string): Promise<void>;
  /** Recent stdout+stderr of both servers (bounded), for diagnostics in a failing test. */
  logs(): { readonly pebble: string; readonly challtestsrv: string };
  /** Kills both servers and removes the temporary config directory. Idempotent; safe after a crash. */
  stop(): Promise<void>;
}
