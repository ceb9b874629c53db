import { randomBytes } from 'node:crypto';
import { type Agent, request } from 'node:http';
import type { ChallengeTask } from '@certkeeper/core';

export const CHALLENGE_PATH = '/.well-known/acme-challenge/';

/** A task the way the engine builds it: 32-byte base64url token, SHA-256-sized thumbprint. */
export function challengeTask(
  value = 'www.example.test',
  overrides: Partial<ChallengeTask> = {},
): ChallengeTask {
  const token = randomBytes(32).toString('base64url');
  return {
    identifier: { type: 'dns', value },
    wildcard: false,
    type: 'http-01',
    token,
    keyAuthorization: `${token}.${randomBytes(32).toString('base64url')}`,
    authorizationUrl: `https://ca.example.test/authz/${token}`,
    ...overrides,
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request over a real socket; `path` is sent verbatim (no normalisation, unlike fetch). */
export function httpRequest(
  port: number,
  path: string,
  options: { method?: string; host?: string; agent?: Agent; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.host ?? '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        agent: options.agent ?? false,
        headers: { Host: 'www.example.test', ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
