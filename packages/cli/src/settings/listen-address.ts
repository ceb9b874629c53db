/** A parsed `host:port`. `host` undefined means every address. */
export interface ListenAddress {
  readonly host?: string;
  readonly port: number;
}

/**
 * `127.0.0.1:9464`, `[::1]:80`, `:80`, `80` or a number. Undefined when it is none of these, so the caller can
 * say which key or flag was wrong.
 */
export function parseListenAddress(value: string | number): ListenAddress | undefined {
  const text = String(value).trim();
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text) ?? /^()()(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65_535) return undefined;
  const host = match[1] ?? match[2];
  return host ? { host, port } : { port };
}

export function formatListenAddress(address: ListenAddress): string {
  const host = address.host ?? '';
  return `${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
