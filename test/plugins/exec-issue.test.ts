// End to end: a lego-style exec hook (POSIX sh + nsupdate with a TSIG key file) writes the dns-01 records into a
// BIND primary, and Pebble's validation authority resolves through that BIND (startPebble's dnsServer).
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AcmeClient, generateAccountKey, parseCertificate, prepareOrder, runOrder } from '@certkeeper/core';
import { Dns01Solver } from '@certkeeper/dns';
import { exec } from '@certkeeper/dns-exec';
import { rfc2136 } from '@certkeeper/dns-rfc2136';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProgram } from '../dns/support/run-command.js';
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
    const accountKey = await generateAccountKey('ES256');
    const registration = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey,
    });
    const accountUrl = (await registration.accounts.create({ contact: ['mailto:ops@example.test'] })).url;
    const client = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey,
      accountUrl,
    });
    const names = [zone, `*.${zone}`, `www.${zone}`];
    const started = performance.now();
    const state = await prepareOrder({ directoryUrl: pebble.directoryUrl, accountUrl, identifiers: names });
    const { certificate, state: final } = await runOrder(state, { client, solvers: [solver] });
    const elapsedMs = Math.round(performance.now() - started);
    expect([...parseCertificate(certificate.pem).names].sort()).toEqual([...names].sort());
    expect(final.phase).toBe('done');
    // Read BIND back with the RFC 2136 plugin: the hook's cleanup left nothing behind.
    const reader = rfc2136({ server: bind.address, tsig: { name: key.name, secret: key.secret } });
    expect(await reader.listRecords(zone, { name: '_acme-challenge' })).toEqual([]);
    expect(await reader.listRecords(zone, { name: '_acme-challenge.www' })).toEqual([]);
    console.log(
      JSON.stringify({ figure: 'issuance via exec nsupdate hook (3 names)', elapsed_ms: elapsedMs }),
    );
    await Promise.all([client.close(), registration.close()]);
  });
});
