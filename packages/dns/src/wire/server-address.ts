import { isIP } from 'node:net';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/** A DNS server to query: an IP address (never a host name, which would need DNS itself) and a port. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `"192.0.2.1"`, `"192.0.2.1:5353"`, `"2001:db8::1"`, `"[2001:db8::1]:5353"` (the forms `dns.getServers()`
 * returns and configuration files use). Port 53 when none is given.
 *
 * @throws CertkeeperError INVALID_OPTION when the host is not an IP address or the port is out of range.
 */
export function parseServerAddress(text: string): ServerAddress {
  const value = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  const hostPort = /^([^:]+):(\d+)$/.exec(value);
  const [host, portText] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : hostPort
      ? [hostPort[1]!, hostPort[2]]
      : [value, undefined];
  const port = portText === undefined ? 53 : Number(portText);
  if (isIP(host) === 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `DNS server address "${text}" is not an IP address with an optional port.`,
      {
        hint: 'Use forms like "192.0.2.53", "192.0.2.53:5353" or "[2001:db8::53]:5353".',
      },
    );
  }
  return { host, port };
}

/** `host:port`, with brackets around IPv6, for messages and map keys. */
export function formatServerAddress(server: ServerAddress): string {
  return isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/** Accepts either form, so options can take `"127.0.0.1:5353"` or `{ host, port }`. */
export function toServerAddress(value: string | ServerAddress): ServerAddress {
  return typeof value === 'string'
    ? parseServerAddress(value)
    : parseServerAddress(formatServerAddress(value));
}
