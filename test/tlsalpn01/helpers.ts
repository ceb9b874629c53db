import { randomBytes } from 'node:crypto';
import { type ConnectionOptions, connect, type PeerCertificate } from 'node:tls';
import type { ChallengeTask } from '@certkeeper/core';

/** A tls-alpn-01 task the way the engine builds it: 32-byte base64url token, SHA-256-sized thumbprint. */
export function challengeTask(
  value = 'www.example.test',
  overrides: Partial<ChallengeTask> = {},
): ChallengeTask {
  const token = randomBytes(32).toString('base64url');
  return {
    identifier: { type: /^[\d.]+$|:/.test(value) ? 'ip' : 'dns', value },
    wildcard: false,
    type: 'tls-alpn-01',
    token,
    keyAuthorization: `${token}.${randomBytes(32).toString('base64url')}`,
    authorizationUrl: `https://ca.example.test/authz/${token}`,
    ...overrides,
  };
}

export interface Handshake {
  readonly alpn: string | false;
  readonly certificate: PeerCertificate;
  readonly protocol: string | null;
}

/** One TLS handshake over a real socket, as a CA's validator (or any client) makes it; rejects when refused. */
export function handshake(port: number, options: ConnectionOptions = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options }, () => {
      resolve({
        alpn: socket.alpnProtocol ?? false,
        certificate: socket.getPeerCertificate(),
        protocol: socket.getProtocol(),
      });
      socket.end();
    });
    socket.on('error', reject);
  });
}

/**
 * Whether the server closes the connection (during or right after its handshake) without the client ending it;
 * false when it is still open after 1 s.
 */
export function closedByServer(port: number, options: ConnectionOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options }, () => {
      setTimeout(() => {
        resolve(false);
        socket.destroy();
      }, 1000).unref();
    });
    socket.on('close', () => resolve(true));
    socket.on('error', () => resolve(true));
  });
}
