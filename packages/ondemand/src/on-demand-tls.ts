import { EventEmitter } from 'node:events';
import type { SecureContext } from 'node:tls';
import {
  type CertificateKeyType,
  CertkeeperError,
  type Clock,
  ErrorCodes,
  type Logger,
  silentLogger,
  systemClock,
} from '@certkeeper/core';
import type { Http01RequestHandler, RegistryHttp01Solver } from '@certkeeper/http01';
import { createHttp01Handler } from '@certkeeper/http01';
import type { CertificateManager, EnsureRequest } from '@certkeeper/manager';
import { type EnsureOutcome, renewalTime } from '@certkeeper/policy';
import type { CertificateRecord } from '@certkeeper/store';
import {
  type AlpnCallback,
  createTlsAlpn01Hook,
  type RegistryTlsAlpn01Solver,
  type SniCallback,
  TlsAlpn01ChallengeRegistry,
} from '@certkeeper/tlsalpn01';
import { type AllowPolicy, compileAllowPolicy } from './allow-policy.js';
import { refusedError, unavailableError } from './errors.js';
import { IssuanceLimiter, type OnDemandRateLimits } from './issuance-limiter.js';
import { RenewalScheduler } from './renewal-scheduler.js';
import { SecureContextCache } from './secure-context-cache.js';
import { certificateNameFor } from './server-name.js';

/** What on-demand TLS needs of the manager (a `CertificateManager`). */
export type OnDemandManager = Pick<CertificateManager, 'ensure' | 'renew' | 'storedCertificate'>;

export interface OnDemandTlsOptions {
  /** Orders, stores and renews; its solvers should include the ones given in `challenges`. */
  readonly manager: OnDemandManager;
  /** Which names may get a certificate. Required: without it anyone pointing a name at you makes you order. */
  readonly allow: AllowPolicy;
  /**
   * The registry solvers the manager proves names with, answered by this listener: tls-alpn-01 through
   * `SNICallback`/`ALPNCallback`, http-01 through `httpHandler` (mounted on your port-80 server).
   */
  readonly challenges?: {
    readonly tlsAlpn01?: RegistryTlsAlpn01Solver;
    readonly http01?: RegistryHttp01Solver;
  };
  /** How each name's certificate is ordered (one certificate per name). */
  readonly certificate?: {
    readonly profile?: string;
    readonly keyType?: CertificateKeyType;
    readonly renewBeforeMs?: number;
  };
  /** On-demand issuance budget of this process (defaults: 10 per minute overall, 2 per hour per name). */
  readonly rateLimits?: OnDemandRateLimits;
  /** How long an async `allow` may take before it counts as no (default 5000 ms). */
  readonly allowTimeoutMs?: number;
  /** The server's own ALPN protocols, as for the tls-alpn-01 hook (default `['http/1.1']`; http2: `['h2', 'http/1.1']`). */
  readonly ALPNProtocols?: readonly string[];
  /** Longest time between renewal checks of a served name (default 1 h). */
  readonly maxCheckIntervalMs?: number;
  /** After an attempt that threw (not a CA answer: the store, the network): handshakes fail fast this long (30 s). */
  readonly errorPauseMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** A certificate as events report it (never the key). */
export interface OnDemandCertificateEvent {
  readonly name: string;
  readonly serialNumberHex: string;
  readonly notAfter: string;
}

export interface OnDemandEvents {
  /** A stored certificate was loaded into memory on the first handshake for its name. */
  loaded: [OnDemandCertificateEvent];
  /** A certificate was ordered for a handshake (or found issued by another process meanwhile). */
  issued: [OnDemandCertificateEvent];
  /** The background renewal put a new certificate in place; new handshakes get it. */
  renewed: [OnDemandCertificateEvent];
  /** A handshake's server name was refused: no store read, no order. */
  refused: [{ readonly serverName: string; readonly error: CertkeeperError }];
  /** Getting or renewing a certificate failed. */
  failed: [{ readonly name: string; readonly error: unknown }];
}

export interface OnDemandTls {
  /** Give to `tls.createServer`/`https.createServer`/`http2.createSecureServer` (with `ALPNCallback`). */
  readonly SNICallback: SniCallback;
  /** Answers ALPN `acme-tls/1` for pending tls-alpn-01 challenges, the server's protocols otherwise. */
  readonly ALPNCallback: AlpnCallback;
  /** http-01 companion for the port-80 server: `true` when it answered; calls `next` otherwise. */
  readonly httpHandler: Http01RequestHandler;
  readonly events: EventEmitter<OnDemandEvents>;
  /** The context a handshake for `serverName` gets (issuing it if allowed): to warm names up before traffic. */
  secureContext(serverName: string): Promise<SecureContext>;
  /** The names served from memory. */
  names(): string[];
  /** Run the renewal check of every served name now. */
  renewNow(): Promise<void>;
  /** Stop serving a name from memory (the stored certificate stays); its next handshake starts over. */
  forget(serverName: string): void;
  /** Stop background renewal and pending work. The manager is yours to close. */
  close(): Promise<void>;
}

const DEFAULT_ALLOW_TIMEOUT_MS = 5000;
const DEFAULT_MAX_CHECK_INTERVAL_MS = 3_600_000;
const DEFAULT_ERROR_PAUSE_MS = 30_000;
const FAILURE_SWEEP_SIZE = 1000;

/**
 * Certificates obtained on the first TLS handshake for a name, served from memory, renewed in the background and
 * swapped without a restart — what Caddy's on-demand TLS gives Go servers.
 *
 * Per handshake: a cached name is answered synchronously from memory. Otherwise the name must be a DNS name the
 * `allow` policy accepts (else the handshake fails at once, with nothing read or ordered); a name whose last attempt
 * failed fails at once until its retry time; concurrent handshakes for one name share one attempt, which loads the
 * stored certificate, or — within this process's issuance budget — has the manager order one. The manager's
 * coordinator then holds the one-order guarantee across processes (store lease, lock-then-recheck), its backoff and
 * the CA's rate-limit ledger.
 *
 * @example
 * ```ts
 * const tlsAlpn01 = new RegistryTlsAlpn01Solver();
 * const manager = createCertificateManager({ directoryUrl, store, solvers: [tlsAlpn01] });
 * const onDemand = createOnDemandTls({ manager, allow: ['*.customers.example'], challenges: { tlsAlpn01 } });
 * https.createServer({ SNICallback: onDemand.SNICallback, ALPNCallback: onDemand.ALPNCallback }, app).listen(443);
 * ```
 */
export function createOnDemandTls(options: OnDemandTlsOptions): OnDemandTls {
  const { manager } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const allow = compileAllowPolicy(options.allow);
  const allowTimeoutMs = options.allowTimeoutMs ?? DEFAULT_ALLOW_TIMEOUT_MS;
  const errorPauseMs = options.errorPauseMs ?? DEFAULT_ERROR_PAUSE_MS;
  const renewBeforeMs = options.certificate?.renewBeforeMs;
  const limiter = new IssuanceLimiter(options.rateLimits);
  const cache = new SecureContextCache();
  // Names whose last attempt failed: the error handshakes get until its retryAfter.
  const failing = new Map<string, CertkeeperError>();
  const attempts = new Map<string, Promise<SecureContext>>();
  const closing = new AbortController();
  const events = new EventEmitter<OnDemandEvents>();
  const request = (name: string): EnsureRequest => ({
    identifiers: [name],
    ...(options.certificate?.profile ? { profile: options.certificate.profile } : {}),
    ...(options.certificate?.keyType ? { keyType: options.certificate.keyType } : {}),
    ...(renewBeforeMs ? { renewBeforeMs } : {}),
  });
  const described = (name: string, record: CertificateRecord): OnDemandCertificateEvent => ({
    name,
    serialNumberHex: record.serialNumberHex,
    notAfter: record.notAfter,
  });
  const nextCheck = (outcome: EnsureOutcome & { certificate: CertificateRecord }): Date =>
    outcome.type === 'fresh' ? outcome.nextCheckAt : renewalTime(outcome.certificate, renewBeforeMs).at;

  const scheduler = new RenewalScheduler({
    clock,
    logger,
    maxIntervalMs: options.maxCheckIntervalMs ?? DEFAULT_MAX_CHECK_INTERVAL_MS,
    retryMs: errorPauseMs,
    async check(name) {
      const outcome = await manager.renew(request(name), { signal: closing.signal });
      if ('certificate' in outcome) {
        // Another process sharing the store may have renewed it: a fresh answer with a new serial is swapped too.
        if (cache.get(name)?.record.serialNumberHex !== outcome.certificate.serialNumberHex) {
          cache.put(name, outcome.certificate);
          events.emit('renewed', described(name, outcome.certificate));
        }
        return nextCheck(outcome);
      }
      // The current certificate keeps being served; the policy says when to try again.
      events.emit('failed', { name, error: outcome.type === 'failed' ? outcome.error : outcome.reason });
      logger.warn({ name, outcome: outcome.type }, outcome.reason);
      return outcome.type === 'deferred' ? outcome.until : outcome.retryAt;
    },
  });

  /** Whether the allow policy says yes, within its time limit; an error or no answer is no. */
  async function allowed(name: string): Promise<boolean> {
    const answer = allow(name);
    if (typeof answer === 'boolean') return answer;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), allowTimeoutMs);
      });
      return (await Promise.race([answer, timeout])) === true;
    } catch (error) {
      logger.warn({ name, error: String(error) }, 'the on-demand allow function failed; refusing the name');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  function serve(name: string, record: CertificateRecord, next: Date): SecureContext {
    const { context } = cache.put(name, record);
    failing.delete(name);
    scheduler.schedule(name, next);
    return context;
  }

  /**
   * Keep a failure for fail-fast handshakes. Entries are dropped when their name succeeds; past a thousand, the
   * expired ones are swept too, so a flood of distinct names over the issuance budget cannot grow this map forever.
   */
  function remember(name: string, failure: CertkeeperError): void {
    if (failing.size >= FAILURE_SWEEP_SIZE) {
      const now = clock.now().getTime();
      for (const [key, kept] of failing) if ((kept.retryAfter?.getTime() ?? 0) <= now) failing.delete(key);
    }
    failing.set(name, failure);
  }

  /** One name's attempt, shared by every handshake that arrives while it runs. */
  async function obtain(name: string): Promise<SecureContext> {
    if (!(await allowed(name))) throw refusedError(name, 'the allow policy refused it');
    try {
      const stored = await manager.storedCertificate(request(name));
      const now = clock.now();
      if (stored && !stored.revokedAt && Date.parse(stored.notAfter) > now.getTime()) {
        events.emit('loaded', described(name, stored));
        return serve(name, stored, renewalTime(stored, renewBeforeMs).at);
      }
      limiter.take(name, now.getTime());
      const outcome = await manager.ensure(request(name), { signal: closing.signal });
      if ('certificate' in outcome) {
        events.emit('issued', described(name, outcome.certificate));
        return serve(name, outcome.certificate, nextCheck(outcome));
      }
      const retryAt = outcome.type === 'deferred' ? outcome.until : outcome.retryAt;
      throw unavailableError(
        name,
        outcome.reason,
        retryAt,
        outcome.type === 'failed' ? outcome.error : undefined,
      );
    } catch (error) {
      const retryAfter =
        (CertkeeperError.isInstance(error) && error.retryAfter) ||
        new Date(clock.now().getTime() + errorPauseMs);
      const failure =
        CertkeeperError.isInstance(error) && error.retryAfter
          ? error
          : unavailableError(name, String(error), retryAfter, error);
      remember(name, failure);
      events.emit('failed', { name, error: failure });
      logger.warn({ name, code: failure.code }, failure.message);
      throw failure;
    }
  }

  /** The context for a handshake: synchronous for a cached name, the shared attempt otherwise. */
  function contextFor(serverName: string): SecureContext | Promise<SecureContext> {
    // The hot path: SNI is ASCII (A-labels), so a cached name is found by case alone, before the full check of a
    // new name (IDNA, label rules: microseconds a handshake for a served name should not pay).
    const hit = cache.get(serverName.toLowerCase());
    if (hit) return hit.context;
    let name: string;
    try {
      name = certificateNameFor(serverName);
    } catch (error) {
      return Promise.reject(error);
    }
    const cached = cache.get(name);
    if (cached) return cached.context;
    const failure = failing.get(name);
    if (failure?.retryAfter && failure.retryAfter.getTime() > clock.now().getTime())
      return Promise.reject(failure);
    let attempt = attempts.get(name);
    if (!attempt) {
      if (closing.signal.aborted) return Promise.reject(new Error('on-demand TLS is closed'));
      attempt = obtain(name).finally(() => attempts.delete(name));
      attempts.set(name, attempt);
    }
    return attempt;
  }

  function noteRefusal(serverName: string, error: unknown): void {
    if (CertkeeperError.isInstance(error) && error.code === ErrorCodes.ON_DEMAND_REFUSED)
      events.emit('refused', { serverName, error });
  }

  const sni: SniCallback = (serverName, callback) => {
    const context = contextFor(serverName);
    if (!(context instanceof Promise)) return callback(null, context);
    context.then(
      (ready) => callback(null, ready),
      (error: Error) => {
        noteRefusal(serverName, error);
        callback(error);
      },
    );
  };

  const hook = createTlsAlpn01Hook({
    registry: options.challenges?.tlsAlpn01?.registry ?? new TlsAlpn01ChallengeRegistry(),
    SNICallback: sni,
    ...(options.ALPNProtocols ? { ALPNProtocols: options.ALPNProtocols } : {}),
  });
  const http01 = options.challenges?.http01;
  const httpHandler: Http01RequestHandler = http01
    ? createHttp01Handler(http01.registry)
    : (_req, _res, next) => {
        next?.();
        return false;
      };

  return {
    SNICallback: hook.SNICallback,
    ALPNCallback: hook.ALPNCallback,
    httpHandler,
    events,
    async secureContext(serverName) {
      try {
        return await contextFor(serverName);
      } catch (error) {
        noteRefusal(serverName, error);
        throw error;
      }
    },
    names: () => cache.names(),
    renewNow: () => scheduler.checkAll(),
    forget(serverName) {
      const name = certificateNameFor(serverName);
      cache.delete(name);
      failing.delete(name);
      scheduler.forget(name);
    },
    async close() {
      closing.abort();
      await scheduler.stop();
      await Promise.allSettled(attempts.values());
    },
  };
}
