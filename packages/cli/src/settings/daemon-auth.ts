import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { CertkeeperConfig } from '../config/config-schema.js';
import { resolveSecret, type SecretContext } from '../config/secret-reference.js';
import type { DaemonAuth } from './settings.js';

/** Shorter tokens can be guessed; `openssl rand -hex 32` gives 64 characters. */
const MIN_TOKEN_LENGTH = 16;

/** `daemon.auth` with its token resolved (from `{ env }`, `{ file }` or, with a warning, inline). */
export async function resolveDaemonAuth(
  auth: NonNullable<NonNullable<CertkeeperConfig['daemon']>['auth']>,
  where: (path: string[]) => string,
  secrets: SecretContext,
): Promise<DaemonAuth> {
  let token: string | undefined;
  if (auth.token !== undefined) {
    token = await resolveSecret(
      auth.token,
      { where: where(['token']), what: "the daemon's bearer token" },
      secrets,
    );
    if (token.length < MIN_TOKEN_LENGTH)
      throw new CertkeeperError(
        ErrorCodes.CONFIG_INVALID,
        `${where(['token'])}: the daemon's token has ${token.length} characters; at least ${MIN_TOKEN_LENGTH} are needed, so that it cannot be guessed. Nothing was done.`,
        { hint: 'generate one with openssl rand -hex 32.' },
      );
  }
  return {
    ...(token ? { token } : {}),
    ...(auth.proxy
      ? { proxy: { userHeader: auth.proxy.userHeader, trustedProxies: auth.proxy.trustedProxies } }
      : {}),
    where: where([]),
  };
}
