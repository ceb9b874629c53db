import { harnessError } from '../harness-error.js';

/** One DNS question pebble-challtestsrv answered, as its request history reports it. */
export interface DnsRequestEvent {
  readonly Question: { readonly Name: string; readonly Qtype: number; readonly Qclass: number };
}

/** One HTTP request a challtestsrv http-01 listener served. */
export interface HttpRequestEvent {
  readonly URL: string;
  readonly Host: string;
  readonly HTTPS: boolean;
  readonly ServerName?: string;
}

export interface CaaPolicy {
  readonly tag: 'issue' | 'issuewild' | 'iodef' | string;
  readonly value: string;
}

/**
 * A client for pebble-challtestsrv's management API (plain HTTP on loopback; endpoints checked against the
 * 2.4.0 and 2.10.0 binaries). Every call resolves once the mock is in place: the next DNS answer already reflects it.
 *
 * Names are sent lower-case and fully qualified: challtestsrv keys TXT records by the exact query name with a
 * trailing dot and answers nothing for `example.test` without it. (Request history, in contrast, is keyed
 * without the dot; the client handles both.)
 *
 * http-01 and tls-alpn-01 methods exist only when the harness was started with challtestsrv serving those
 * challenges (`challtestsrvResponders`); otherwise challtestsrv answers 404 and the call throws.
 */
export class ChalltestsrvClient {
  constructor(
    /** Base URL of the management API, e.g. `http://127.0.0.1:40123`. */
    readonly url: string,
  ) {}

  /** Adds one TXT record at `host`. Several calls for one name give several TXT records, as dns-01 needs. */
  addTxt(host: string, value: string): Promise<void> {
    return this.#post('/set-txt', { host: fqdn(host), value });
  }

  /** Removes every TXT record at `host`. */
  clearTxt(host: string): Promise<void> {
    return this.#post('/clear-txt', { host: fqdn(host) });
  }

  /** Answers A queries for `host` with `addresses` instead of the default IPv4. */
  addA(host: string, addresses: readonly string[]): Promise<void> {
    return this.#post('/add-a', { host: fqdn(host), addresses });
  }

  clearA(host: string): Promise<void> {
    return this.#post('/clear-a', { host: fqdn(host) });
  }

  addAAAA(host: string, addresses: readonly string[]): Promise<void> {
    return this.#post('/add-aaaa', { host: fqdn(host), addresses });
  }

  clearAAAA(host: string): Promise<void> {
    return this.#post('/clear-aaaa', { host: fqdn(host) });
  }

  /** A CNAME at `host`; challtestsrv follows it for A/AAAA/TXT questions (one level). */
  setCname(host: string, target: string): Promise<void> {
    return this.#post('/set-cname', { host: fqdn(host), target: fqdn(target) });
  }

  clearCname(host: string): Promise<void> {
    return this.#post('/clear-cname', { host: fqdn(host) });
  }

  addCaa(host: string, policies: readonly CaaPolicy[]): Promise<void> {
    return this.#post('/add-caa', { host: fqdn(host), policies });
  }

  clearCaa(host: string): Promise<void> {
    return this.#post('/clear-caa', { host: fqdn(host) });
  }

  /** Every question about `host` gets SERVFAIL, overriding other mocks, until {@link clearServfail}. */
  setServfail(host: string): Promise<void> {
    return this.#post('/set-servfail', { host: fqdn(host) });
  }

  clearServfail(host: string): Promise<void> {
    return this.#post('/clear-servfail', { host: fqdn(host) });
  }

  /** The address for A questions without a mock; `''` makes such questions answer nothing. */
  setDefaultIPv4(ip: string): Promise<void> {
    return this.#post('/set-default-ipv4', { ip });
  }

  /** The address for AAAA questions without a mock; `''` (the harness default) answers nothing. */
  setDefaultIPv6(ip: string): Promise<void> {
    return this.#post('/set-default-ipv6', { ip });
  }

  /** Serves `content` at `/.well-known/acme-challenge/<token>` (needs challtestsrv's http-01 responder). */
  addHttp01(token: string, content: string): Promise<void> {
    return this.#post('/add-http01', { token, content });
  }

  deleteHttp01(token: string): Promise<void> {
    return this.#post('/del-http01', { token });
  }

  /** Serves a tls-alpn-01 certificate for `host` (needs challtestsrv's tls-alpn-01 responder). */
  addTlsAlpn01(host: string, keyAuthorization: string): Promise<void> {
    return this.#post('/add-tlsalpn01', { host, content: keyAuthorization });
  }

  deleteTlsAlpn01(host: string): Promise<void> {
    return this.#post('/del-tlsalpn01', { host });
  }

  /** DNS questions challtestsrv received for `host` (Pebble's VA lookups show up here). */
  async dnsRequestHistory(host: string): Promise<DnsRequestEvent[]> {
    return JSON.parse(
      await this.#postText('/dns-request-history', { host: historyKey(host) }),
    ) as DnsRequestEvent[];
  }

  async httpRequestHistory(host: string): Promise<HttpRequestEvent[]> {
    return JSON.parse(await this.#postText('/http-request-history', { host })) as HttpRequestEvent[];
  }

  clearRequestHistory(host: string, type: 'dns' | 'http' | 'tlsalpn'): Promise<void> {
    return this.#post('/clear-request-history', { host: type === 'dns' ? historyKey(host) : host, type });
  }

  async #post(path: string, body: unknown): Promise<void> {
    await this.#postText(path, body);
  }

  async #postText(path: string, body: unknown): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    } catch (error) {
      throw harnessError(
        `pebble-challtestsrv at ${this.url} could not be reached for ${path}.`,
        'The harness was probably stopped already; call challtestsrv methods only between startPebble() and stop().',
        error,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw harnessError(
        `pebble-challtestsrv refused ${path} ${JSON.stringify(body)} with HTTP ${response.status}: ${text.trim()}`,
        response.status === 404
          ? 'This endpoint exists only when its challenge server runs: start the harness with the matching challtestsrvResponders option.'
          : "Check the arguments against pebble-challtestsrv's README (cmd/pebble-challtestsrv in the Pebble sources).",
      );
    }
    return text;
  }
}

// Request history is keyed by the question name without its trailing dot (DNSRequestEvent.Key in challtestsrv).
function historyKey(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

function fqdn(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}
