// Starts a PowerDNS Authoritative Server (Debian pdns-server + pdns-backend-sqlite3) in the foreground with a
// temporary config: gsqlite3 backend with Debian's schema, the HTTP API on a free loopback port, DNS on another.
// Zones are created through the API, the way an operator would.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProgram, runCommand } from '../../dns/support/run-command.js';
import { freeDnsPort } from './bind-primary.js';

const schema = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';

export interface PdnsServer {
  apiUrl: string;
  apiKey: string;
  /** DNS listener, `127.0.0.1:<port>` (UDP and TCP). */
  dnsAddress: string;
  /** Creates a Native zone with SOA and NS, plus `records` (`[name, type, content]`, names relative). */
  createZone(name: string, records?: [string, string, string][]): Promise<void>;
  /** Any other API call (`path` below `/api/v1/servers/localhost/`), for keys and zone metadata. */
  api(path: string, init?: RequestInit): Promise<Response>;
  log(): string;
  stop(): Promise<void>;
}

/** `extraConfig`: more pdns.conf lines, e.g. `dnsupdate=yes` for the RFC 2136 tests. */
export async function startPdnsServer(extraConfig: readonly string[] = []): Promise<PdnsServer> {
  const [pdns, sqlite] = [await findProgram('pdns_server'), await findProgram('sqlite3')];
  if (!pdns || !sqlite || !existsSync(schema)) {
    throw new Error(
      'The PowerDNS tests need pdns_server, its sqlite3 backend and the sqlite3 CLI: apt-get install -y pdns-server pdns-backend-sqlite3 sqlite3 (scripts/setup.sh does).',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'certkeeper-pdns-'));
  const database = join(dir, 'pdns.sqlite3');
  const created = await runCommand(sqlite, [database, `.read ${schema}`]);
  if (created.code !== 0) throw new Error(`sqlite3 could not create the PowerDNS schema: ${created.stderr}`);
  const dnsPort = await freeDnsPort();
  const apiPort = await freeTcpPort();
  const apiKey = randomBytes(24).toString('base64url');
  await writeFile(
    join(dir, 'pdns.conf'),
    [
      'launch=gsqlite3',
      `gsqlite3-database=${database}`,
      'local-address=127.0.0.1',
      `local-port=${dnsPort}`,
      'api=yes',
      `api-key=${apiKey}`,
      'webserver=yes',
      'webserver-address=127.0.0.1',
      `webserver-port=${apiPort}`,
      'webserver-allow-from=127.0.0.0/8',
      `socket-dir=${dir}`,
      'daemon=no',
      'guardian=no',
      'disable-syslog=yes',
      // Answers straight from the database, so a test reads its own write at once (no packet/query cache).
      'cache-ttl=0',
      'negquery-cache-ttl=0',
      'query-cache-ttl=0',
      'zone-cache-refresh-interval=0',
      ...extraConfig,
      '',
    ].join('\n'),
  );
  let output = '';
  const child: ChildProcess = spawn(pdns, [`--config-dir=${dir}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await rm(dir, { recursive: true, force: true });
  };
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${apiUrl}/api/v1/servers/localhost/${path}`, {
      ...init,
      headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
    });
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`pdns_server exited with ${child.exitCode}:\n${output}`);
      const up = await api('zones').then(
        (response) => response.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`pdns_server's API did not answer within 15 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    apiUrl,
    apiKey,
    dnsAddress: `127.0.0.1:${dnsPort}`,
    async createZone(name, records = []) {
      const response = await api('zones', {
        method: 'POST',
        body: JSON.stringify({
          name: `${name}.`,
          kind: 'Native',
          nameservers: [`ns1.${name}.`],
          rrsets: records.map(([relative, type, content]) => ({
            name: relative === '@' ? `${name}.` : `${relative}.${name}.`,
            type,
            ttl: 60,
            changetype: 'REPLACE',
            records: [{ content, disabled: false }],
          })),
        }),
      });
      if (!response.ok)
        throw new Error(`creating zone ${name} failed: HTTP ${response.status} ${await response.text()}`);
    },
    api,
    log: () => output,
    stop,
  };
}

async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}
