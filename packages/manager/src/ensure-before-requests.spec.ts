import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { Store } from '@certkeeper/store';
import { describe, expect, it } from 'vitest';
import { createCertificateManager } from './container.js';

/** A store that fails any use: reaching it would mean the manager went on to the account (and the CA). */
const untouchable = new Proxy({} as Store, {
  get: (_target, property) => () => {
    throw new Error(`the store was used (${String(property)}) before the order was refused`);
  },
});

describe("ensure refuses what Let's Encrypt is known to refuse, before any request", () => {
  it('an IP address without shortlived: the hint names the profile, config key and flag', async () => {
    const manager = createCertificateManager({
      directoryUrl: 'https://acme-v02.api.letsencrypt.org/directory',
      store: untouchable,
      solvers: [],
      metrics: false,
    });
    const error = await manager.ensure({ identifiers: ['www.example.com', '192.0.2.7'] }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(CertkeeperError.isInstance(error)).toBe(true);
    expect((error as CertkeeperError).code).toBe(ErrorCodes.PROFILE_VIOLATION);
    expect((error as CertkeeperError).message).toContain(
      'issues certificates for IP addresses only under profile "shortlived"; this order names no profile, for ip:192.0.2.7. Nothing was sent.',
    );
    expect((error as CertkeeperError).message).toContain('--profile shortlived');
  });
});
