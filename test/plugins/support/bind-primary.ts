// Starts one BIND 9 primary on 127.0.0.1 and a free port (UDP and TCP), serving the zones given, with several TSIG
// keys and per-zone update policies. test/dns/support/bind-servers.ts runs a primary + secondary pair on port 53
// of added loopback addresses with one hmac-sha256 key; the RFC 2136 plugin needs more keys (several algorithms,
// a least-privilege key) and a port Pebble can be pointed at, hence this smaller sibling that reuses its helpers.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WireDnsTransport } from '@certkeeper/dns';
import type { TsigKey } from '../../dns/support/bind-servers.js';
import { findProgram } from '../../dns/support/run-command.js';

export type { TsigKey };

export interface BindZone {
  name: string;
  /** Zone-file lines after SOA and NS, e.g. `www A 127.0.0.1`. */
  records?: string[];
  /** `update-policy` grants, e.g. `grant ck-sha256 zonesub TXT;`. */
  updatePolicy: string[];
  /** `allow-transfer` list; default none. */
  allowTransfer?: string;
}

export interface BindPrimary {
  /** `127.0.0.1:<port>`. */
  address: string;
  host: string;
  port: number;
  keys: Record<string, TsigKey>;
  /** Recent named output, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** A fresh key per run: tests never share secrets with anything. */
export function newKey(name: string, algorithm: string, bytes = 32): TsigKey {
  return { name, algorithm, secret: randomBytes(bytes).toString('base64') };
}

export async function startBindPrimary(zones: BindZone[], keys: TsigKey[]): Promise<BindPrimary> {
  const named = await findProgram('named');
  if (!named) throw new Error('The RFC 2136 tests need BIND 9: apt-get install -y bind9 (named).');
  const dir = await mkdtemp(join(tmpdir(), 'certkeeper-bind-rfc2136-'));
  const port = await freeDnsPort();
  const keyClause = (key: TsigKey) =>
    `key "${key.name}" { algorithm ${key.algorithm}; secret "${key.secret}"; };`;
  for (const zone of zones) {
    const file = [
      '$TTL 60',
      `@ SOA ns1.${zone.name}. hostmaster.${zone.name}. 1 3600 600 86400 30`,
      `@ NS ns1.${zone.name}.`,
      'ns1 A 127.0.0.1',
      ...(zone.records ?? []),
      '',
    ].join('\n');
    await writeFile(join(dir, `${zone.name}.db`), file);
  }
  const config = [
    'options {',
    `  directory "${dir}";`,
    `  pid-file "${dir}/named.pid";`,
    `  session-keyfile "${dir}/session.key";`,
    `  listen-on port ${port} { 127.0.0.1; };`,
    '  listen-on-v6 { none; };',
    '  recursion no;',
    '  allow-query { any; };',
    '  dnssec-validation no;',
    '  notify no;',
    '};',
    ...keys.map(keyClause),
    ...zones.map(
      (zone) =>
        `zone "${zone.name}" { type primary; file "${zone.name}.db"; update-policy { ${zone.updatePolicy.join(' ')} }; allow-transfer { ${zone.allowTransfer ?? 'none;'} }; };`,
    ),
    '',
  ].join('\n');
  await writeFile(join(dir, 'named.conf'), config);
  let output = '';
  const child: ChildProcess = spawn(named, ['-g', '-n', '1', '-u', 'root', '-c', join(dir, 'named.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForZones({ host: '127.0.0.1', port }, zones, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    address: `127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    keys: Object.fromEntries(keys.map((key) => [key.name, key])),
    log: () => output,
    stop,
  };
}

async function waitForZones(
  server: { host: string; port: number },
  zones: BindZone[],
  child: ChildProcess,
  log: () => string,
): Promise<void> {
  const transport = new WireDnsTransport({ timeoutMs: 200, udpAttempts: 1 });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`named exited with ${child.exitCode}:\n${log()}`);
    const ready = await Promise.all(
      zones.map((zone) =>
        transport
          .query(server, { name: zone.name, type: 'SOA', recursionDesired: false })
          .then((response) => response.authoritative && response.rcode === 'NOERROR')
          .catch(() => false),
      ),
    );
    if (ready.every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`named on 127.0.0.1:${server.port} did not serve its zones within 15 s:\n${log()}`);
}

/** A port free for both TCP and UDP on 127.0.0.1 (a DNS server serves both on one port). */
export async function freeDnsPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    await new Promise((resolve) => server.close(resolve));
    const port = typeof address === 'object' && address ? address.port : 0;
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => {
        socket.close();
        resolve(false);
      });
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (port > 0 && udpFree) return port;
  }
  throw new Error('No port on 127.0.0.1 was free for both TCP and UDP after 20 tries.');
}
