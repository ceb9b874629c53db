// End to end: a lego-style exec hook (POSIX sh + nsupdate with a TSIG key file) writes the dns-01 records into a
// BIND primary, and Pebble's validation authority resolves through that BIND (startPebble's dnsServer).
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificate } from '@certkeeper/core';
import { Dns01Solver } from '@certkeeper/dns';
import { ExecRawSolver, exec } from '@certkeeper/dns-exec';
import { rfc2136 } from '@certkeeper/dns-rfc2136';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProgram } from '../dns/support/run-command.js';
import { issueFromPebble } from '../support/issue-from-pebble.js';
import { type BindPrimary, newKey, startBindPrimary } from './support/bind-primary.js';

// The kind of script people already run from lego: arguments "present <fqdn.> <value> [ttl]" / "cleanup ...".
const hook = `#!/bin/sh
set -eu
action=$1 fqdn=$2 value=$3 ttl=\${4:-60}
case "$action" in
  present) change="update add $fqdn $ttl IN TXT \\"$value\\"" ;;
  cleanup) change="update delete $fqdn IN TXT \\"$value\\"" ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
printf 'server %s %s\\nzone %s\\n%s\\nsend\\n' "$NS_HOST" "$NS_PORT" "$CERTKEEPER_ZONE" "$change" | "$NSUPDATE" -k "$TSIG_KEY_FILE"
`;

// lego's EXEC_MODE=RAW: the script gets "present -- <domain> <token> <key_auth>" and computes the TXT value itself.
const rawHook = `#!/bin/sh
set -eu
action=$1 dashes=$2 domain=$3 token=$4 keyauth=$5
[ "$dashes" = "--" ] || { echo "expected -- before the positional arguments" >&2; exit 2; }
printf '%s %s %s %s\\n' "$action" "$domain" "$token" "$keyauth" >> "$CALL_LOG"
value=$(printf %s "$keyauth" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')
fqdn="_acme-challenge.\${domain#\\*.}."
case "$action" in
  present) change="update add $fqdn 60 IN TXT \\"$value\\"" ;;
  cleanup) change="update delete $fqdn IN TXT \\"$value\\"" ;;
  *) exit 2 ;;
esac
printf 'server %s %s\\nzone %s\\n%s\\nsend\\n' "$NS_HOST" "$NS_PORT" "$HOOK_ZONE" "$change" | "$NSUPDATE" -k "$TSIG_KEY_FILE"
`;

const zone = 'exec-issue.test';
const key = newKey('ck-hook', 'hmac-sha256');
let dir: string;
let bind: BindPrimary;
let pebble: PebbleHandle;
beforeAll(async () => {
  bind = await startBindPrimary([{ name: zone, updatePolicy: [`grant ${key.name} zonesub TXT;`] }], [key]);
  pebble = await startPebble({ dnsServer: bind.address });
  dir = await mkdtemp(join(tmpdir(), 'certkeeper-exec-issue-'));
  await writeFile(join(dir, 'hook.sh'), hook);
  await chmod(join(dir, 'hook.sh'), 0o755);
  await writeFile(join(dir, 'raw-hook.sh'), rawHook);
  await chmod(join(dir, 'raw-hook.sh'), 0o755);
  await writeFile(
    join(dir, 'tsig.key'),
    `key "${key.name}" { algorithm ${key.algorithm}; secret "${key.secret}"; };\n`,
    {
      mode: 0o600,
    },
  );
});
afterAll(async () => {
  await pebble?.stop();
  await bind?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('issuing from Pebble through @certkeeper/dns-exec (an nsupdate hook) and BIND 9', () => {
  it('runs the hook for every record, gets the certificate, and cleans up', async () => {
    const nsupdate = await findProgram('nsupdate');
    if (!nsupdate) throw new Error('This test needs nsupdate: apt-get install -y bind9-utils.');
    const provider = exec({
      program: join(dir, 'hook.sh'),
      env: {
        NS_HOST: bind.host,
        NS_PORT: String(bind.port),
        NSUPDATE: nsupdate,
        TSIG_KEY_FILE: join(dir, 'tsig.key'),
      },
      timeoutMs: 15_000,
    });
    const solver = new Dns01Solver({
      provider,
      discovery: { zones: [zone], fixedServers: [bind.address], resolvers: [bind.address] },
      propagation: { initialIntervalMs: 100, maxIntervalMs: 500 },
    });
    const names = [zone, `*.${zone}`, `www.${zone}`];
    const { certificatePem, state: final, elapsedMs } = await issueFromPebble(pebble, names, [solver]);
    expect([...parseCertificate(certificatePem).names].sort()).toEqual([...names].sort());
    expect(final.phase).toBe('done');
    // Read BIND back with the RFC 2136 plugin: the hook's cleanup left nothing behind.
    const reader = rfc2136({ server: bind.address, tsig: { name: key.name, secret: key.secret } });
    expect(await reader.listRecords(zone, { name: '_acme-challenge' })).toEqual([]);
    expect(await reader.listRecords(zone, { name: '_acme-challenge.www' })).toEqual([]);
    console.log(
      JSON.stringify({ figure: 'issuance via exec nsupdate hook (3 names)', elapsed_ms: elapsedMs }),
    );
  });

  it('RAW mode: runs present/cleanup -- <domain> <token> <key_auth>, the script computes the value', async () => {
    const nsupdate = await findProgram('nsupdate');
    if (!nsupdate) throw new Error('This test needs nsupdate: apt-get install -y bind9-utils.');
    const callLog = join(dir, 'raw-calls.log');
    const solver = new ExecRawSolver({
      program: join(dir, 'raw-hook.sh'),
      env: {
        NS_HOST: bind.host,
        NS_PORT: String(bind.port),
        NSUPDATE: nsupdate,
        TSIG_KEY_FILE: join(dir, 'tsig.key'),
        HOOK_ZONE: zone,
        CALL_LOG: callLog,
      },
      discovery: { zones: [zone], fixedServers: [bind.address], resolvers: [bind.address] },
      propagation: { initialIntervalMs: 100, maxIntervalMs: 500 },
    });
    const names = [`raw.${zone}`, `*.raw.${zone}`];
    const { certificatePem } = await issueFromPebble(pebble, names, [solver]);
    expect([...parseCertificate(certificatePem).names].sort()).toEqual([...names].sort());
    const calls = (await readFile(callLog, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    expect(calls.map(([action, domain]) => `${action} ${domain}`).sort()).toEqual(
      [`cleanup *.raw.${zone}`, `cleanup raw.${zone}`, `present *.raw.${zone}`, `present raw.${zone}`].sort(),
    );
    for (const [, , token, keyAuthorization] of calls)
      expect(keyAuthorization!.startsWith(`${token}.`)).toBe(true);
    const reader = rfc2136({ server: bind.address, tsig: { name: key.name, secret: key.secret } });
    expect(await reader.listRecords(zone, { name: '_acme-challenge.raw' })).toEqual([]);
  });
});
