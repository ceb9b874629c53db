// Starts BIND 9 as a primary and a secondary on two fresh loopback addresses (IPv4 and IPv6 each) serving the
// zones of bind-zones.ts, in a temporary directory, as root in the foreground. The test owns the processes and
// the addresses and removes both on stop().
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WireDnsTransport } from '@certkeeper/dns';
import { type BindAddresses, TEST_ZONES, zoneFile } from './bind-zones.js';
import { findProgram, runCommand } from './run-command.js';

export interface TsigKey {
  name: string;
  algorithm: string;
  secret: string;
}

export interface BindServers {
  addresses: BindAddresses;
  /** Key allowed to send dynamic updates to the primary. */
  updateKey: TsigKey;
  /** `rndc <args>` against one server. */
  rndc(server: 'primary' | 'secondary', ...args: string[]): Promise<string>;
  /** Sends nsupdate commands to the primary, signed with the update key. */
  nsupdate(commands: string[]): Promise<void>;
  stop(): Promise<void>;
}

const tools = ['named', 'rndc', 'nsupdate', 'ip'] as const;

export interface BindOptions {
  /** BIND's `notify-delay` on the primary (seconds between NOTIFY batches for a zone). Default: BIND's own (5). */
  notifyDelaySeconds?: number;
}

export async function startBindServers(options: BindOptions = {}): Promise<BindServers> {
  const paths = Object.fromEntries(
    await Promise.all(tools.map(async (tool) => [tool, await findProgram(tool)])),
  ) as Record<(typeof tools)[number], string | undefined>;
  const missing = tools.filter((tool) => !paths[tool]);
  if (missing.length > 0) {
    throw new Error(
      `BIND tests need ${missing.join(', ')}: install with "apt-get install -y bind9 bind9-utils iproute2" (named runs as root on loopback addresses).`,
    );
  }
  if (process.getuid?.() !== 0)
    throw new Error('BIND tests run named on port 53 of added loopback addresses: run them as root.');

  const dir = await mkdtemp(join(tmpdir(), 'certkeeper-bind-'));
  const addresses = await addLoopbackAddresses(paths.ip!);
  const rndcKey: TsigKey = {
    name: 'ck-rndc',
    algorithm: 'hmac-sha256',
    secret: randomBytes(32).toString('base64'),
  };
  const updateKey: TsigKey = {
    name: 'ck-update',
    algorithm: 'hmac-sha256',
    secret: randomBytes(32).toString('base64'),
  };
  const processes: ChildProcess[] = [];
  const logs: Record<string, string> = { primary: '', secondary: '' };
  const keyClause = (key: TsigKey) =>
    `key "${key.name}" { algorithm ${key.algorithm}; secret "${key.secret}"; };`;
  await writeFile(
    join(dir, 'rndc.conf'),
    `${keyClause(rndcKey)}\noptions { default-key "${rndcKey.name}"; };\n`,
  );

  const stop = async () => {
    for (const child of processes) child.kill('SIGTERM');
    await Promise.all(
      processes.map(
        (child) =>
          new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))),
      ),
    );
    await removeLoopbackAddresses(paths.ip!, addresses);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    for (const role of ['primary', 'secondary'] as const) {
      const own = addresses[role];
      const roleDir = join(dir, role);
      await mkdir(roleDir);
      const zones = TEST_ZONES.map((zone) =>
        role === 'primary'
          ? `zone "${zone.name}" { type primary; file "${zone.name}.db"; allow-update { key "${updateKey.name}"; }; allow-transfer { any; }; notify ${zone.notify ? 'yes' : 'no'}; };`
          : `zone "${zone.name}" { type secondary; primaries { ${addresses.primary.v4}; }; file "${zone.name}.db"; allow-notify { ${addresses.primary.v4}; ${addresses.primary.v6}; }; };`,
      );
      if (role === 'primary') {
        for (const zone of TEST_ZONES)
          await writeFile(join(roleDir, `${zone.name}.db`), zoneFile(zone, addresses));
      }
      const config = [
        'options {',
        `  directory "${roleDir}";`,
        `  pid-file "${roleDir}/named.pid";`,
        `  session-keyfile "${roleDir}/session.key";`,
        `  listen-on port 53 { ${own.v4}; };`,
        `  listen-on-v6 port 53 { ${own.v6}; };`,
        '  recursion no;',
        '  allow-query { any; };',
        '  dnssec-validation no;',
        `  notify-source ${own.v4};`,
        `  notify-source-v6 ${own.v6};`,
        `  transfer-source ${own.v4};`,
        ...(options.notifyDelaySeconds === undefined
          ? []
          : [`  notify-delay ${options.notifyDelaySeconds};`]),
        '};',
        keyClause(rndcKey),
        keyClause(updateKey),
        `controls { inet ${own.v4} port 953 allow { 127.0.0.0/8; } keys { "${rndcKey.name}"; }; };`,
        ...zones,
        '',
      ].join('\n');
      await writeFile(join(roleDir, 'named.conf'), config);
      const child = spawn(paths.named!, ['-g', '-n', '1', '-u', 'root', '-c', join(roleDir, 'named.conf')], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        logs[role] = (logs[role] + chunk.toString()).slice(-20_000);
      });
      processes.push(child);
      await waitForZones(own.v4, child, () => logs[role]!);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    addresses,
    updateKey,
    async rndc(server, ...args) {
      const result = await runCommand(paths.rndc!, [
        '-c',
        join(dir, 'rndc.conf'),
        '-s',
        addresses[server].v4,
        '-p',
        '953',
        ...args,
      ]);
      if (result.code !== 0)
        throw new Error(`rndc ${args.join(' ')} on the ${server} failed: ${result.stderr || result.stdout}`);
      return result.stdout;
    },
    async nsupdate(commands) {
      const key = `${updateKey.algorithm}:${updateKey.name}:${updateKey.secret}`;
      const script = [`server ${addresses.primary.v4} 53`, ...commands, 'send', ''].join('\n');
      const result = await runCommand(paths.nsupdate!, ['-y', key], script);
      if (result.code !== 0) throw new Error(`nsupdate failed: ${result.stderr || result.stdout}`);
    },
    stop,
  };
}

/** Picks 127.53.X.1/.2 and fd53::X:1/:2 that are not in use yet, and adds them to lo. */
async function addLoopbackAddresses(ip: string): Promise<BindAddresses> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const x = randomInt(1, 255);
    const addresses: BindAddresses = {
      primary: { v4: `127.53.${x}.1`, v6: `fd53::${x.toString(16)}:1` },
      secondary: { v4: `127.53.${x}.2`, v6: `fd53::${x.toString(16)}:2` },
    };
    const current = (await runCommand(ip, ['addr', 'show', 'dev', 'lo'])).stdout;
    if (current.includes(`127.53.${x}.`) || current.includes(`fd53::${x.toString(16)}:`)) continue;
    for (const role of ['primary', 'secondary'] as const) {
      const v4 = await runCommand(ip, ['addr', 'add', `${addresses[role].v4}/32`, 'dev', 'lo']);
      const v6 = await runCommand(ip, [
        '-6',
        'addr',
        'add',
        `${addresses[role].v6}/128`,
        'dev',
        'lo',
        'nodad',
      ]);
      if (v4.code !== 0 || v6.code !== 0) {
        await removeLoopbackAddresses(ip, addresses);
        throw new Error(`Could not add loopback addresses (needs CAP_NET_ADMIN): ${v4.stderr}${v6.stderr}`);
      }
    }
    return addresses;
  }
  throw new Error('No free 127.53.X.0/24 block on lo after 20 tries.');
}

async function removeLoopbackAddresses(ip: string, addresses: BindAddresses): Promise<void> {
  for (const role of ['primary', 'secondary'] as const) {
    await runCommand(ip, ['addr', 'del', `${addresses[role].v4}/32`, 'dev', 'lo']);
    await runCommand(ip, ['-6', 'addr', 'del', `${addresses[role].v6}/128`, 'dev', 'lo']);
  }
}

/** Waits until the server answers authoritatively for every test zone (the secondary after its first transfer). */
async function waitForZones(address: string, child: ChildProcess, log: () => string): Promise<void> {
  const transport = new WireDnsTransport({ timeoutMs: 200, udpAttempts: 1 });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`named on ${address} exited with ${child.exitCode}:\n${log()}`);
    const answers = await Promise.all(
      TEST_ZONES.map((zone) =>
        transport
          .query({ host: address, port: 53 }, { name: zone.name, type: 'SOA', recursionDesired: false })
          .then((response) => response.authoritative && response.rcode === 'NOERROR')
          .catch(() => false),
      ),
    );
    if (answers.every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`named on ${address} did not serve every test zone within 15 s:\n${log()}`);
}
