import { CertkeeperError, parseIdentifiers } from '@certkeeper/core';
import { refusedError } from './errors.js';

/**
 * The certificate name for a handshake's SNI: lower case, without a trailing dot, punycode — the form the store and
 * the CA use. A server name that is no single DNS name (an IP literal, a wildcard, a single label, bad characters)
 * is refused here, before the allow policy is asked.
 */
export function certificateNameFor(serverName: string): string {
  let parsed: ReturnType<typeof parseIdentifiers>;
  try {
    parsed = parseIdentifiers([serverName]);
  } catch (error) {
    if (!CertkeeperError.isInstance(error)) throw error;
    throw refusedError(serverName, 'it is not a valid DNS name');
  }
  const [identifier] = parsed;
  if (identifier?.type !== 'dns' || identifier.wildcard)
    throw refusedError(serverName, 'only a DNS name (no IP address, no wildcard) can be a server name');
  return identifier.value;
}
