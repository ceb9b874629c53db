// Starts pebble-challtestsrv with only its DNS and management listeners, on free loopback ports.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { pebbleBinaries } from '@certkeeper/testkit';

export interface Challtestsrv {
  dnsAddress: string;
  managementUrl: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

export async function startChalltestsrv(): Promise<Challtestsrv> {
  // The Pebble 2.10 scripts/setup.sh installs; throws saying to run it when missing.
  const binary = pebbleBinaries().challtestsrv;
  const [dnsPort, managementPort] = [await freePort(), await freePort()];
  let output = '';
  const child: ChildProcess = spawn(
    binary,
    [
      '-dnsserver',
      `127.0.0.1:${dnsPort}`,
      '-management',
      `127.0.0.1:${managementPort}`,
      '-http01',
      '',
      '-https01',
      '',
      '-tlsalpn01',
      '',
      '-doh',
      '',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const managementUrl = `http://127.0.0.1:${managementPort}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`pebble-challtestsrv exited with ${child.exitCode}: ${output}`);
    const up = await fetch(`${managementUrl}/clear-txt`, {
      method: 'POST',
      body: '{"host":"probe.invalid."}',
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`pebble-challtestsrv did not start within 10 s: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    dnsAddress: `127.0.0.1:${dnsPort}`,
    managementUrl,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
