import { CertkeeperError, ErrorCodes, type SecretRedactor } from '@certkeeper/core';
import { normalizeName, type RetryOptions, type ServerAddress, toServerAddress } from '@certkeeper/dns';
import { findAlgorithm, TSIG_ALGORITHMS, type TsigAlgorithm } from './tsig/algorithms.js';
import type { TsigKeyMaterial } from './tsig/tsig-signer.js';

/** A TSIG key as BIND's `key` clause or `tsig-keygen` prints it. */
export interface Rfc2136TsigKey {
  /** Key name, e.g. `"acme-update"` (the name in the server's `key "…" { … };` clause). */
  readonly name: string;
  /** Default `hmac-sha256`. Also `hmac-sha512`, `hmac-sha384`, `hmac-sha224`, `hmac-sha1`, `hmac-md5` (legacy). */
  readonly algorithm?: TsigAlgorithm;
  /** The base64 secret. Kept in memory only; never part of an error message or log line. */
  readonly secret: string;
}

export interface Rfc2136Options {
  /**
   * Where this provider registers its secrets at construction, so every sink scrubs them from what a DNS API
   * echoes back. Default: the process's (`processSecretRedactor()`).
   */
  readonly redactor?: SecretRedactor;
  /** The primary server that accepts updates: an IP address with an optional port (`"192.0.2.53"`, `"[2001:db8::53]:5353"`). */
  readonly server: string | ServerAddress;
  /**
   * The TSIG key that signs every message (RFC 8945). Leave it out only for a server that accepts unsigned updates
   * by source address, which anyone on that network can forge.
   */
  readonly tsig?: Rfc2136TsigKey;
  /** `udp` (default): UDP, asking again over TCP when an answer is truncated. `tcp`: TCP only. */
  readonly protocol?: 'udp' | 'tcp';
  /** Time limit for one exchange (one zone transfer included). Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Clock difference TSIG tolerates, in seconds. Default 300 (RFC 8945 §5.2.3). */
  readonly fudgeSeconds?: number;
  /** Brief retries of timeouts and SERVFAIL. Default 3 attempts, 250 ms apart, doubling. */
  readonly retry?: RetryOptions;
}

export interface ResolvedOptions {
  readonly server: ServerAddress;
  readonly key: TsigKeyMaterial | undefined;
  readonly protocol: 'udp' | 'tcp';
  readonly timeoutMs: number;
  readonly fudgeSeconds: number;
  readonly retry: RetryOptions;
}

/** @throws CertkeeperError INVALID_OPTION naming the option and what to pass instead. */
export function resolveOptions(options: Rfc2136Options): ResolvedOptions {
  const protocol = options.protocol ?? 'udp';
  if (protocol !== 'udp' && protocol !== 'tcp')
    invalidOption('protocol', `"${String(protocol)}" is neither "udp" nor "tcp"`);
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    invalidOption('timeoutMs', 'must be a positive number of milliseconds');
  const fudgeSeconds = options.fudgeSeconds ?? 300;
  if (!Number.isInteger(fudgeSeconds) || fudgeSeconds < 0 || fudgeSeconds > 0xffff) {
    invalidOption('fudgeSeconds', 'must be a whole number of seconds from 0 to 65535');
  }
  return {
    server: toServerAddress(options.server),
    key: options.tsig ? resolveKey(options.tsig) : undefined,
    protocol,
    timeoutMs,
    fudgeSeconds,
    retry: { attempts: 3, baseDelayMs: 250, ...options.retry },
  };
}

function resolveKey(key: Rfc2136TsigKey): TsigKeyMaterial {
  if (typeof key.name !== 'string' || key.name.trim() === '') invalidOption('tsig.name', 'is empty');
  const algorithm = findAlgorithm(key.algorithm ?? 'hmac-sha256');
  if (!algorithm) {
    invalidOption('tsig.algorithm', `"${String(key.algorithm)}" is not one of ${TSIG_ALGORITHMS.join(', ')}`);
  }
  const text = typeof key.secret === 'string' ? key.secret.trim() : '';
  const secret = Buffer.from(text, 'base64');
  // Buffer.from ignores junk in base64; comparing lengths catches a secret pasted with the wrong encoding.
  if (secret.length === 0 || secret.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) {
    invalidOption(
      `tsig.secret of key "${key.name}"`,
      'is not a base64 string (the "secret" of the key clause)',
    );
  }
  return { name: normalizeName(key.name), algorithm, secret };
}

export function invalidOption(option: string, problem: string): never {
  throw new CertkeeperError(ErrorCodes.INVALID_OPTION, `rfc2136 option ${option} ${problem}.`, {
    hint: 'See the README of @certkeeper/dns-rfc2136 for every option; `tsig-keygen -a hmac-sha256 NAME` prints a key.',
  });
}
