import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { harnessError } from '../harness-error.js';

/**
 * Asks the kernel for `count` distinct free TCP ports on 127.0.0.1 (bind port 0, read it, close).
 *
 * The ports are free when this returns, not reserved: another process may take one before our server binds it.
 * Callers detect that (the server fails to bind, or a TLS identity check fails) and retry with fresh ports; all
 * sockets are held open together so one call never returns the same port twice.
 */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      return server;
    }),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/**
 * One port free for both TCP and UDP on 127.0.0.1, as a DNS server needs (it serves both on the same port), and
 * not in `exclude` (ports the caller already picked and released, which the kernel may hand out again).
 */
export async function findFreeDnsPort(
  exclude: ReadonlySet<number | undefined> = new Set(),
  attempts = 20,
): Promise<number> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const [port] = await findFreePorts(1);
    if (port !== undefined && !exclude.has(port) && (await udpPortFree(port))) return port;
  }
  throw harnessError(
    `No port was free for both TCP and UDP on 127.0.0.1 after ${attempts} attempts.`,
    'Check for a process flooding the loopback ports (many parallel test workers), then rerun.',
  );
}

async function udpPortFree(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}
