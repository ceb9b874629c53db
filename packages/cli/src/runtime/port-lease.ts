import { CertkeeperError, ErrorCodes, type Logger, systemClock } from '@certkeeper/core';
import { takeLease } from '@certkeeper/policy';
import { describeLeaseHolder, leaseHolderId, type Store } from '@certkeeper/store';

/** How long a run waits for another run of its store to give the responder's port back. */
const PORT_WAIT_MS = 15 * 60_000;

/**
 * The standalone responder's port lock: a store lease named after the address, held while the responder listens.
 * Runs sharing a store (a cron renew and a manual issue for other names) then take turns on the port instead of
 * failing with EADDRINUSE; a port found busy while holding the lease belongs to another program.
 */
export function portLease(
  store: () => Store,
  address: { readonly host?: string; readonly port: number },
  options: { readonly logger: Logger; readonly description: string },
): (signal?: AbortSignal) => Promise<() => Promise<void>> {
  const where = `${address.host ?? '*'}:${address.port}`;
  return async (signal) => {
    const started = Date.now();
    const lease = await takeLease(
      `http-01-port|${where}`,
      { key: `the http-01 port ${where}`, identifiers: [] },
      {
        store: store(),
        clock: systemClock,
        logger: options.logger,
        holder: leaseHolderId({ description: options.description }),
      },
      async (holder) =>
        Date.now() - started > PORT_WAIT_MS
          ? new CertkeeperError(
              ErrorCodes.LISTEN_FAILED,
              `The HTTP-01 responder waited ${PORT_WAIT_MS / 60_000} min for port ${address.port}, which ${holder ? describeLeaseHolder(holder.holder) : 'another certkeeper run'} on this store keeps using; nothing was ordered.`,
              {
                hint: 'let that run finish, or listen on another port (--http-listen <host:port>).',
                retryable: true,
              },
            )
          : undefined,
      signal,
    );
    if (lease instanceof Error) throw lease;
    return () => lease.release();
  };
}
