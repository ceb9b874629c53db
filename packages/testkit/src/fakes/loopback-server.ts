import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

type Server = HttpServer | HttpsServer;

/** Listens on a free port of 127.0.0.1 and resolves the port; a failure names the fake (`what`). */
export async function listenOnLoopback(server: Server, what: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  }).catch((error: unknown) => {
    throw new CertkeeperError(ErrorCodes.TEST_HARNESS, `The fake ${what} could not listen on 127.0.0.1.`, {
      hint: 'Check that loopback networking works.',
      cause: error,
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Stops listening and drops kept-alive connections (SDKs keep them), so stop() does not wait for their timeout. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
