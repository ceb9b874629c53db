import type { AccountKey } from '../crypto/account-key.js';
import { type AcmeProblem, AcmeProblemError, createProblemError } from '../errors/acme-problem-error.js';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import { DIRECTORY_URL_SOURCE } from '../errors/insecure-url-error.js';
import { ProtocolError } from '../errors/transport-errors.js';
import { type HttpClient, type HttpRequest, type HttpResponse, headerValue } from '../http/http-client.js';
import { requireHttpsUrl } from '../http/https-only.js';
import { type Link, parseLinkHeaders } from '../http/link-header.js';
import type { AcmeResource } from '../http/response-limits.js';
import { DEFAULT_MAX_RETRY_AFTER_MS, parseRetryAfter } from '../http/retry-after.js';
import type { Identifier } from '../identifiers/identifier.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { type Logger, silentLogger } from '../ports/logger.js';
import { sleep } from '../ports/sleep.js';
import { type Directory, parseDirectory } from '../resources/directory.js';
import { signRequest } from './jws.js';
import { NoncePool } from './nonce-pool.js';
import {
  type RequestRateLimiter,
  requestEndpointOf,
  sharedRequestRateLimiter,
} from './request-rate-limiter.js';
import { reportRequestRetry, retryReason } from './request-retries.js';

export interface AcmeTransportOptions {
  readonly directoryUrl: string;
  readonly http: HttpClient;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How many times a `badNonce` answer is retried, each time signed with a fresh nonce (default 5). */
  readonly maxBadNonceRetries?: number;
  /** A 503 whose Retry-After is at most this long is waited out and retried once, re-signed (default 10 s). */
  readonly maxInlineRetryAfterMs?: number;
  /** Retries of a request that failed at the network level (default 2), for requests marked safe to repeat. */
  readonly networkRetries?: number;
  /** The longest Retry-After obeyed; longer ones are clamped with a warning (default 7 days). */
  readonly maxRetryAfterMs?: number;
  /**
   * Accept `http://` URLs from the CA and as the directory URL. Only for a local test CA the user named on purpose:
   * RFC 8555 §6.1 requires HTTPS, and without it signed requests and contact addresses travel in clear text.
   */
  readonly allowInsecureHttp?: boolean;
  /**
   * Keeps the requests under the CA's per-endpoint rate limits (new-nonce, new-order, ...). Default: the limiter this
   * process shares for the CA's origin, with Let's Encrypt's limits ({@link sharedRequestRateLimiter}); false for none.
   */
  readonly rateLimiter?: RequestRateLimiter | false;
  /**
   * How long a signed request that finds the nonce pool empty waits for a nonce from requests already on their way
   * before asking newNonce itself (default 1 s): concurrent orders then cost no extra newNonce requests. The bound is
   * for an answer that does not come (a stalled CA): a queue of waiters on a busy machine took over 200 ms.
   */
  readonly nonceWaitMs?: number;
}

export interface AcmeResponse<T = unknown> {
  readonly status: number;
  readonly headers: HttpResponse['headers'];
  /** Parsed JSON for JSON responses, the text otherwise. */
  readonly body: T;
  readonly location: string | undefined;
  readonly links: readonly Link[];
  readonly retryAfter: Date | undefined;
}

export interface SignedRequestOptions {
  readonly key: AccountKey;
  /** Account URL (`kid`); when absent the JWK is embedded. */
  readonly kid?: string;
  /** The identifier concerned, so errors can name it. */
  readonly identifier?: Identifier;
  readonly accept?: string;
  /** What is asked for: sets the cap on the answer's body. */
  readonly resource: AcmeResource;
  /**
   * Whether repeating the request after a network failure is harmless. newOrder is not: if the first
   * attempt reached the CA, a repeat creates a second order (or spends another new-order token).
   */
  readonly repeatable?: boolean;
  readonly signal?: AbortSignal;
}

/** Counts of requests by kind, for tests and benchmarks ("HTTP requests per certificate"). */
export interface TransportStats {
  requests: number;
  directory: number;
  newNonce: number;
  signed: number;
  badNonceRetries: number;
  /** Milliseconds requests waited for the rate limiter, all together. */
  rateLimitWaitMs: number;
}

/**
 * Signed ACME requests over one HTTP client: directory (fetched once), the nonce pool, JWS, and problem
 * documents turned into typed errors.
 *
 * Retries are bounded and **every retry is signed afresh with a new nonce**; a used nonce is never replayed
 * (clients that resent the same JWS after a 429 ping-ponged with badNonce in the CA's logs).
 */
export class AcmeTransport {
  readonly directoryUrl: string;
  readonly stats: TransportStats = {
    requests: 0,
    directory: 0,
    newNonce: 0,
    signed: 0,
    badNonceRetries: 0,
    rateLimitWaitMs: 0,
  };
  private readonly http: HttpClient;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly nonces = new NoncePool();
  private directoryPromise: Promise<Directory> | undefined;
  /** The directory once fetched: which rate limit a URL counts against. */
  private knownDirectory: Directory | undefined;
  private readonly rateLimiter: RequestRateLimiter | undefined;
  private readonly nonceWaitMs: number;
  private readonly maxBadNonceRetries: number;
  private readonly maxInlineRetryAfterMs: number;
  private readonly networkRetries: number;
  private readonly maxRetryAfterMs: number;
  private readonly allowInsecureHttp: boolean;

  constructor(options: AcmeTransportOptions) {
    this.allowInsecureHttp = options.allowInsecureHttp ?? false;
    this.directoryUrl = requireHttpsUrl(options.directoryUrl, DIRECTORY_URL_SOURCE, this.allowInsecureHttp);
    this.http = options.http;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.maxBadNonceRetries = options.maxBadNonceRetries ?? 5;
    this.maxInlineRetryAfterMs = options.maxInlineRetryAfterMs ?? 10_000;
    this.networkRetries = options.networkRetries ?? 2;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.rateLimiter =
      options.rateLimiter === false
        ? undefined
        : (options.rateLimiter ?? sharedRequestRateLimiter(this.directoryUrl));
    this.nonceWaitMs = options.nonceWaitMs ?? 1000;
  }

  /** The directory, fetched once per transport (concurrent callers share one request). */
  directory(signal?: AbortSignal): Promise<Directory> {
    this.directoryPromise ??= this.fetchDirectory(signal).catch((error: unknown) => {
      this.directoryPromise = undefined;
      throw error;
    });
    return this.directoryPromise;
  }

  /** An unsigned GET (directory, renewalInfo). */
  async get<T = unknown>(
    url: string,
    resource: AcmeResource,
    signal?: AbortSignal,
  ): Promise<AcmeResponse<T>> {
    this.nonces.sending();
    let response: HttpResponse;
    try {
      response = await this.send({ method: 'GET', url, signal, resource });
    } catch (error) {
      this.nonces.answered(undefined);
      throw error;
    }
    this.nonces.answered(headerValue(response.headers, 'replay-nonce'));
    return this.interpret<T>(response, 'GET', url);
  }

  /** A signed POST with a JSON payload, or POST-as-GET when `payload` is `''`. */
  async post<T = unknown>(
    url: string,
    payload: unknown,
    options: SignedRequestOptions,
  ): Promise<AcmeResponse<T>> {
    let badNonces = 0;
    let networkFailures = 0;
    let inlineWaits = 0;
    for (;;) {
      // Counted as on its way from here (signing, the rate limiter, the CA): its answer feeds the pool.
      const nonce = await this.nonce(options.signal);
      let response: HttpResponse;
      try {
        const jws = await signRequest({ key: options.key, kid: options.kid, url, nonce, payload });
        this.stats.signed++;
        response = await this.send({
          method: 'POST',
          url,
          headers: {
            'content-type': 'application/jose+json',
            accept: options.accept ?? 'application/json',
          },
          body: JSON.stringify(jws),
          signal: options.signal,
          resource: options.resource,
        });
      } catch (error) {
        this.nonces.answered(undefined);
        // Only a failure to reach the CA is repeated: a CA that stalled, sent too much or redirected broke a bound,
        // and asking again at once would meet the same answer.
        if (
          CertkeeperError.isInstance(error) &&
          error.code === ErrorCodes.NETWORK &&
          options.repeatable !== false &&
          networkFailures < this.networkRetries &&
          !options.signal?.aborted
        ) {
          networkFailures++;
          this.logger.warn({ url, attempt: networkFailures }, 'network error; retrying with a fresh nonce');
          const delayMs = 200 * 2 ** networkFailures;
          reportRequestRetry({
            reason: retryReason(error),
            attempt: networkFailures + 1,
            attempts: this.networkRetries + 1,
            at: new Date(this.clock.now().getTime() + delayMs),
          });
          await sleep(delayMs, options.signal);
          continue;
        }
        throw error;
      }
      this.nonces.answered(headerValue(response.headers, 'replay-nonce'));
      try {
        return this.interpret<T>(response, 'POST', url, options.identifier);
      } catch (error) {
        if (!AcmeProblemError.isInstance(error)) throw error;
        if (error.type === 'badNonce' && badNonces < this.maxBadNonceRetries) {
          badNonces++;
          this.stats.badNonceRetries++;
          this.logger.debug({ url, attempt: badNonces }, 'badNonce; re-signing with a fresh nonce');
          continue;
        }
        const waitMs = error.retryAfter ? error.retryAfter.getTime() - this.clock.now().getTime() : undefined;
        if (
          error.status === 503 &&
          waitMs !== undefined &&
          waitMs <= this.maxInlineRetryAfterMs &&
          inlineWaits < 1
        ) {
          inlineWaits++;
          this.logger.info({ url, waitMs }, 'CA asked to retry shortly (503); waiting, then re-signing');
          reportRequestRetry({
            reason: retryReason(error),
            attempt: 2,
            attempts: 2,
            at: new Date(this.clock.now().getTime() + Math.max(0, waitMs)),
          });
          await sleep(Math.max(0, waitMs), options.signal);
          continue;
        }
        throw error;
      }
    }
  }

  private async fetchDirectory(signal?: AbortSignal): Promise<Directory> {
    this.stats.directory++;
    const response = await this.get(this.directoryUrl, 'directory', signal);
    this.knownDirectory = parseDirectory(response.body, this.directoryUrl, this.allowInsecureHttp);
    return this.knownDirectory;
  }

  /** A nonce for a signed request about to be sent, counted as on its way in the pool. */
  private async nonce(signal?: AbortSignal): Promise<string> {
    // The pool's, else — while other requests are on their way (other certificates in flight) — the next one their
    // answers bring, handed to the longest waiter. Waiting for one is fewer requests than newNonce, and rarely slower
    // (newNonce is a round trip too); only when the answers keep this one waiting longer than nonceWaitMs, or none
    // is on its way, is newNonce asked.
    const next = await this.nonces.next(this.nonceWaitMs, signal);
    if (next) return next;
    const directory = await this.directory(signal);
    this.stats.newNonce++;
    // This answer's nonce is this request's own: it does not feed the pool (a waiter could take it meanwhile).
    const response = await this.send({ method: 'HEAD', url: directory.newNonce, signal, resource: 'nonce' });
    const nonce = headerValue(response.headers, 'replay-nonce');
    if (response.status >= 400 || !nonce) {
      // Without a nonce in the HEAD response, this is not an ACME server.
      throw new ProtocolError(
        `The CA's newNonce endpoint ${directory.newNonce} answered HTTP ${response.status} without a Replay-Nonce.`,
      );
    }
    this.nonces.sending();
    return nonce;
  }

  /**
   * One request to the CA, after the rate limiter lets it through. The caller feeds the nonce pool from the answer
   * (every response carries a usable nonce, errors included: RFC 8555 §6.5), and counts it as on its way (`NoncePool.sending`/`claim` to `answered`) meanwhile.
   */
  private async send(request: HttpRequest): Promise<HttpResponse> {
    // Every URL the CA handed over passes here: nothing is sent to one that is not HTTPS (RFC 8555 §6.1).
    requireHttpsUrl(request.url, `the ${request.resource} URL the CA gave`, this.allowInsecureHttp);
    if (this.rateLimiter)
      this.stats.rateLimitWaitMs += await this.rateLimiter.acquire(
        requestEndpointOf(request, this.knownDirectory),
        request.signal,
      );
    this.stats.requests++;
    const response = await this.http.send(request);
    this.logger.debug({ method: request.method, url: request.url, status: response.status }, 'ACME request');
    return response;
  }

  private interpret<T>(
    response: HttpResponse,
    method: string,
    url: string,
    identifier?: Identifier,
  ): AcmeResponse<T> {
    const contentType = headerValue(response.headers, 'content-type') ?? '';
    const retryAfter = parseRetryAfter(headerValue(response.headers, 'retry-after'), this.clock.now(), {
      maxMs: this.maxRetryAfterMs,
      onClamp: (received, clampedTo) =>
        this.logger.warn(
          { method, url, status: response.status, retryAfter: received, clampedTo: clampedTo.toISOString() },
          `the CA asked to wait Retry-After: ${received}, longer than the ${this.maxRetryAfterMs / 3_600_000} h ceiling; retrying at ${clampedTo.toISOString()} instead`,
        ),
    });
    const text = response.body.toString('utf8');
    let body: unknown = text;
    if (/json/i.test(contentType) && text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch (cause) {
        throw new ProtocolError(`The CA sent invalid JSON to ${method} ${url} (HTTP ${response.status}).`, {
          cause,
        });
      }
    }
    if (response.status >= 400) {
      const problem: AcmeProblem =
        typeof body === 'object' && body !== null && 'type' in body
          ? (body as AcmeProblem)
          : {
              // A bare 429 is still a rate limit, whatever the body says.
              type: response.status === 429 ? 'urn:ietf:params:acme:error:rateLimited' : 'about:blank',
              status: response.status,
              detail: text.slice(0, 300) || `HTTP ${response.status}`,
            };
      throw createProblemError(
        { status: response.status, ...problem },
        { method, url, identifier, retryAfter },
      );
    }
    return {
      status: response.status,
      headers: response.headers,
      body: body as T,
      location: this.acmeLocation(response, method, url),
      links: this.acmeLinks(response, method, url),
      retryAfter,
    };
  }

  /** The `Location` of a created resource (account, order): an ACME URL, so HTTPS only. */
  private acmeLocation(response: HttpResponse, method: string, url: string): string | undefined {
    const location = headerValue(response.headers, 'location');
    if (location === undefined) return undefined;
    let absolute = location;
    try {
      absolute = new URL(location, url).href; // RFC 9110 §10.2.2 allows a relative reference
    } catch {
      // Not a URL at all: refused below, naming what the CA sent.
    }
    return requireHttpsUrl(absolute, `the Location header of ${method} ${url}`, this.allowInsecureHttp);
  }

  /** `Link` headers; the ones certkeeper may follow (up, alternate, index) must be HTTPS. */
  private acmeLinks(response: HttpResponse, method: string, url: string): Link[] {
    const links = parseLinkHeaders(response.headers.link, url);
    for (const link of links) {
      if (['up', 'alternate', 'index'].includes(link.rel))
        requireHttpsUrl(link.url, `the Link (rel="${link.rel}") of ${method} ${url}`, this.allowInsecureHttp);
    }
    return links;
  }
}
