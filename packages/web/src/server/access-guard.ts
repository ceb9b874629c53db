import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** Who may read the daemon's page, API and metrics. */
export interface AccessPolicy {
  /** The server listens on loopback addresses only. Without a token or a proxy, nothing else is allowed. */
  readonly loopback: boolean;
  /** A bearer token every request must carry (`Authorization: Bearer …`). */
  readonly token?: string;
  /** A reverse proxy that authenticates people and names them in a header. */
  readonly proxy?: {
    /** The header the proxy sets, e.g. `X-Forwarded-User` (oauth2-proxy, Authelia, Pomerium). */
    readonly userHeader: string;
    /** Addresses or CIDR ranges the proxy connects from; the header is ignored from anyone else. */
    readonly trustedProxies: readonly string[];
  };
}

export type AccessDecision =
  | { readonly allowed: true; readonly user?: string }
  | { readonly allowed: false; readonly status: 401 | 403; readonly message: string };

/**
 * Decides each request. With a token or a proxy configured, a request needs the token (compared in constant time)
 * or must come from a trusted proxy with its user header set. Without either, the server is loopback-only (the
 * daemon refuses to start otherwise) and accepts only a loopback `Host`: a web page elsewhere that rebinds its own
 * DNS name to 127.0.0.1 cannot read the data through a person's browser.
 */
export class AccessGuard {
  private readonly tokenDigest: Buffer | undefined;
  private readonly proxies = new BlockList();
  private readonly userHeader: string | undefined;

  constructor(private readonly policy: AccessPolicy) {
    this.tokenDigest = policy.token ? digest(policy.token) : undefined;
    this.userHeader = policy.proxy?.userHeader.toLowerCase();
    for (const entry of policy.proxy?.trustedProxies ?? []) addProxy(this.proxies, entry);
  }

  /** Whether a request must authenticate (a token or a proxy is configured). */
  get authenticates(): boolean {
    return this.tokenDigest !== undefined || this.userHeader !== undefined;
  }

  check(request: IncomingMessage): AccessDecision {
    if (!this.authenticates) {
      if (!this.policy.loopback)
        return { allowed: false, status: 403, message: 'daemon.auth is required off loopback' };
      if (!isLoopbackHost(request.headers.host))
        return {
          allowed: false,
          status: 403,
          message:
            'this address answers to localhost names only (configure daemon.auth to serve other names)',
        };
      return { allowed: true };
    }
    const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer && this.tokenDigest && timingSafeEqual(digest(bearer), this.tokenDigest))
      return { allowed: true };
    if (this.userHeader) {
      const value = request.headers[this.userHeader];
      const user = Array.isArray(value) ? undefined : value?.trim();
      if (user && this.fromTrustedProxy(request)) return { allowed: true, user };
    }
    return {
      allowed: false,
      status: 401,
      message: bearer ? 'the token is not the one configured' : 'authentication is required',
    };
  }

  private fromTrustedProxy(request: IncomingMessage): boolean {
    const address = request.socket.remoteAddress;
    if (!address) return false;
    const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
    const family = isIP(plain);
    return family !== 0 && this.proxies.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/**
 * Both sides hashed to 32 bytes first, so the comparison takes the same time whatever the lengths (timingSafeEqual
 * itself throws on different lengths, which would tell an attacker the token's length).
 */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function addProxy(list: BlockList, entry: string): void {
  const [address = '', prefix] = entry.split('/');
  const family = isIP(address);
  if (family === 0) throw new Error(`${entry} is not an IP address or CIDR range`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) list.addAddress(address, type);
  else list.addSubnet(address, Number(prefix), type);
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = (
    host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '')
  ).toLowerCase();
  return isLoopbackAddress(name) || name === 'localhost' || name.endsWith('.localhost');
}

export function isLoopbackAddress(address: string): boolean {
  return /^127(?:\.\d{1,3}){3}$/.test(address) || address === '::1' || address === '::ffff:127.0.0.1';
}
