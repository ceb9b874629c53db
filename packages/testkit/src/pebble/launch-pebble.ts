import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertkeeperError } from '@certkeeper/core';
import { harnessError } from '../harness-error.js';
import { findFreeDnsPort, findFreePorts } from '../process/free-ports.js';
import { type ManagedProcess, spawnManaged } from '../process/managed-process.js';
import { ChalltestsrvClient } from './challtestsrv-client.js';
import { httpsGet } from './https-get.js';
import { type PebbleFiles, pebbleConfig, pebbleEnvironment } from './pebble-config.js';
import type { StartPebbleOptions } from './pebble-options.js';
import { waitUntil } from './wait-until.js';

export interface LaunchedPebble {
  readonly pebble: ManagedProcess;
  readonly challtestsrv: ManagedProcess;
  readonly directoryUrl: string;
  readonly managementUrl: string;
  readonly challtestsrvClient: ChalltestsrvClient;
  readonly httpPort: number;
  readonly tlsPort: number;
  readonly dnsPort: number;
}

export type LaunchResult =
  | { readonly ok: true; readonly launched: LaunchedPebble }
  | { readonly ok: false; readonly portConflict: boolean; readonly error: CertkeeperError };

export interface LaunchInput {
  readonly dir: string;
  /** The binaries to run (resolved by startPebble: options, else the installed Pebble 2.10). */
  readonly binaries: { readonly pebble: string; readonly challtestsrv: string };
  readonly files: PebbleFiles;
  readonly caPem: string;
  readonly macKeys: Readonly<Record<string, string>>;
  readonly options: StartPebbleOptions;
}

// Go's net package prints this when bind() fails with EADDRINUSE; challtestsrv logs it and keeps running.
const portConflictPattern = /address already in use/;

/**
 * One attempt to start pebble-challtestsrv and Pebble on fresh free ports. Both start at once (Pebble spends
 * most of its ~0.3 s start generating its CA keys), then the attempt waits for:
 * - challtestsrv's management API to answer, and
 * - Pebble's directory and management API to answer **over TLS with our CA**. A server on that port with another
 *   certificate (a parallel test file's Pebble that won a port race) fails the handshake and does not count.
 * A bind failure in either output is reported as a port conflict so the caller retries with new ports.
 */
export async function launchPebble(input: LaunchInput): Promise<LaunchResult> {
  const { options } = input;
  const [listen, management, challtestsrvManagement, freeHttp, freeTls] = await findFreePorts(5);
  const taken = new Set([listen, management, challtestsrvManagement, freeHttp, freeTls]);
  const dnsPort = await findFreeDnsPort(taken);
  const ports = {
    listen: listen!,
    management: management!,
    http: options.httpPort ?? freeHttp!,
    tls: options.tlsPort ?? freeTls!,
  };
  const configPath = join(input.dir, 'pebble-config.json');
  await writeFile(
    configPath,
    JSON.stringify(pebbleConfig(ports, input.files, input.macKeys, options), null, 2),
  );

  const responders = options.challtestsrvResponders ?? {};
  const challtestsrv = spawnManaged('pebble-challtestsrv', input.binaries.challtestsrv, [
    ...['-management', `127.0.0.1:${challtestsrvManagement}`],
    // pebble-challtestsrv 2.10 names its DNS listener -dnsserver (2.4: -dns01), and serves DNS over HTTPS on
    // :8443 unless told not to: one fixed port would make parallel test files collide.
    ...['-dnsserver', `127.0.0.1:${dnsPort}`],
    ...['-doh', ''],
    ...['-http01', responders.http01 ? `127.0.0.1:${ports.http}` : ''],
    ...['-https01', ''],
    ...['-tlsalpn01', responders.tlsAlpn01 ? `127.0.0.1:${ports.tls}` : ''],
    ...['-defaultIPv4', options.defaultIPv4 ?? '127.0.0.1'],
    ...['-defaultIPv6', options.defaultIPv6 ?? ''],
  ]);
  const pebble = spawnManaged(
    'pebble',
    input.binaries.pebble,
    [
      ...['-config', configPath],
      ...['-dnsserver', options.dnsServer ?? `127.0.0.1:${dnsPort}`],
      ...(options.strict ? ['-strict'] : []),
    ],
    { env: pebbleEnvironment(options.env), cwd: input.dir },
  );

  const launched: LaunchedPebble = {
    pebble,
    challtestsrv,
    directoryUrl: `https://127.0.0.1:${ports.listen}/dir`,
    managementUrl: `https://127.0.0.1:${ports.management}`,
    challtestsrvClient: new ChalltestsrvClient(`http://127.0.0.1:${challtestsrvManagement}`),
    httpPort: ports.http,
    tlsPort: ports.tls,
    dnsPort,
  };
  const deadline = Date.now() + (options.startupTimeoutMs ?? 15_000);
  const [challtestsrvReady, pebbleReady] = await Promise.all([
    waitUntil(() => launched.challtestsrvClient.dnsRequestHistory('readiness.invalid'), {
      deadline,
      stopIf: () => died(challtestsrv),
    }),
    waitUntil(
      async () => {
        await expectOk(launched.directoryUrl, input.caPem);
        await expectOk(`${launched.managementUrl}/roots/0`, input.caPem);
      },
      { deadline, stopIf: () => died(pebble) },
    ),
  ]);

  const portConflict = [pebble, challtestsrv].some((p) => portConflictPattern.test(p.output.text()));
  if (challtestsrvReady.ok && pebbleReady.ok && !portConflict) return { ok: true, launched };

  await Promise.all([pebble.stop(), challtestsrv.stop()]);
  const failed = !pebbleReady.ok ? pebbleReady : !challtestsrvReady.ok ? challtestsrvReady : undefined;
  const spawnError = pebble.exitInfo()?.error ?? challtestsrv.exitInfo()?.error;
  const what = portConflict
    ? 'lost a race for a loopback port to another process'
    : `did not become ready (${failed?.reason ?? 'unknown'}${failed?.lastError ? `; last probe: ${describe(failed.lastError)}` : ''})`;
  return {
    ok: false,
    portConflict,
    error: harnessError(
      `Pebble at ${launched.directoryUrl} with pebble-challtestsrv at ${launched.challtestsrvClient.url} ${what}.\n` +
        `--- pebble output (tail) ---\n${pebble.output.tail()}\n` +
        `--- pebble-challtestsrv output (tail) ---\n${challtestsrv.output.tail()}`,
      spawnError
        ? `Run scripts/setup.sh, which unpacks Pebble 2.10 (pebble and pebble-challtestsrv) into /usr/local/lib/certkeeper-pebble (${spawnError.message}).`
        : 'Read the output above; raise startupTimeoutMs if the machine is overloaded.',
      spawnError ?? failed?.lastError,
    ),
  };
}

function died(process: ManagedProcess): string | undefined {
  const info = process.exitInfo();
  if (info === undefined) return undefined;
  if (info.error) return `${process.name} could not be started: ${info.error.message}`;
  return `${process.name} exited (code ${info.code}, signal ${info.signal})`;
}

async function expectOk(url: string, caPem: string): Promise<void> {
  const response = await httpsGet(url, caPem, 1_000);
  if (response.status !== 200) throw new Error(`GET ${url} answered HTTP ${response.status}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
