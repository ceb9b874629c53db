import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { DnsRecord } from '@certkeeper/dns';
import { exec, execPlugin } from '@certkeeper/dns-exec';
import { describeDnsProviderConformance } from '@certkeeper/testkit/dns-conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A hook in the shape users write for lego's exec provider, keeping its "DNS" in a file so every case of the
// conformance kit can read back through the certkeeper `list` extension. Exit 77 = rejected token, 68 = no zone.
const fileHook = `#!/usr/bin/env node
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
const [action, fqdn, value, ttl] = process.argv.slice(2);
const store = process.env.HOOK_STORE;
// Two certkeeper processes may run this hook at once on one store (the kit's two-instance case): lock it, as a
// hook keeping shared state must.
for (;;) { try { mkdirSync(store + '.lock'); break; } catch { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); } }
process.on('exit', () => rmdirSync(store + '.lock'));
if (process.env.HOOK_TOKEN !== process.env.HOOK_EXPECTED_TOKEN) { console.error('401: API token rejected'); process.exit(77); }
const zones = process.env.HOOK_ZONES.split(',');
const inZone = (name) => zones.some((zone) => name === zone + '.' || name.endsWith('.' + zone + '.'));
if (!inZone(fqdn)) { console.error('no zone holds ' + fqdn); process.exit(68); }
const rows = existsSync(store) ? readFileSync(store, 'utf8').split('\\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
const save = (list) => writeFileSync(store, list.map((row) => JSON.stringify(row) + '\\n').join(''));
if (action === 'present') {
  if (!rows.some((row) => row.fqdn === fqdn && row.value === value)) appendFileSync(store, JSON.stringify({ fqdn, value, ttl: Number(ttl ?? 120) }) + '\\n');
} else if (action === 'cleanup') {
  save(rows.filter((row) => !(row.fqdn === fqdn && row.value === value)));
} else if (action === 'list') {
  for (const row of rows) if (value === undefined || row.fqdn === value) console.log(row.fqdn + ' ' + row.ttl + ' ' + row.value);
} else { console.error('unknown action ' + action); process.exit(2); }
`;

let dir: string;
let hook: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certkeeper-exec-'));
  hook = join(dir, 'file-hook.mjs');
  await writeFile(hook, fileHook);
  await chmod(hook, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const zone = 'exec.test';
let stores = 0;
const fileProvider = (
  token = 'right',
  extra: Partial<Parameters<typeof exec>[0]> = {},
  store = join(dir, `store-${stores++}.jsonl`),
) =>
  exec({
    program: hook,
    list: true,
    env: {
      HOOK_STORE: store,
      HOOK_ZONES: zone,
      HOOK_TOKEN: token,
      HOOK_EXPECTED_TOKEN: 'right',
    },
    ...extra,
  });

describeDnsProviderConformance('exec with a file-backed hook that implements "list"', () => {
  const store = join(dir, `store-${stores++}.jsonl`);
  return {
    provider: fileProvider('right', {}, store),
    zone,
    withBadCredentials: () => fileProvider('wrong'),
    // Another exec provider running the same hook on the same "DNS" (the store file).
    secondInstance: () => fileProvider('right', {}, store),
  };
});

/** A hook that records its argument vector and some of its environment, one JSON line per run. */
async function recordingHook(
  body = '',
): Promise<{ program: string; calls: () => Promise<{ argv: string[]; env: Record<string, string> }[]> }> {
  const log = join(dir, `calls-${stores++}.jsonl`);
  const program = join(dir, `recording-${stores++}.mjs`);
  await writeFile(
    program,
    `#!/usr/bin/env node
import { appendFileSync } from 'node:fs';
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('EXEC_') || key.startsWith('CERTKEEPER_') || key === 'INHERITED_CHECK'));
appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), env }) + '\\n');
${body}
`,
  );
  await chmod(program, 0o755);
  return {
    program,
    calls: async () =>
      (await readFile(log, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}

const record: DnsRecord = {
  name: '_acme-challenge.www',
  type: 'TXT',
  value: 'pW9ZKG0xz_PCriK-nCMOjADy9eJcgGWIzkkj2fN4uZM',
  ttl: 60,
};

describe('exec provider', () => {
  it('calls the program with lego’s arguments: present <fqdn.> <value> <ttl>, cleanup <fqdn.> <value>', async () => {
    const { program, calls } = await recordingHook();
    process.env.INHERITED_CHECK = 'yes';
    const dns = exec({ program });
    await dns.createRecord(zone, record);
    expect(await dns.deleteRecord(zone, record)).toBe(true);
    const [present, cleanup] = await calls();
    expect(present!.argv).toEqual(['present', '_acme-challenge.www.exec.test.', record.value, '60']);
    expect(cleanup!.argv).toEqual(['cleanup', '_acme-challenge.www.exec.test.', record.value]);
    expect(present!.env).toMatchObject({
      EXEC_PATH: program,
      EXEC_MODE: '',
      CERTKEEPER_ACTION: 'present',
      CERTKEEPER_ZONE: zone,
      CERTKEEPER_RECORD_NAME: '_acme-challenge.www',
      CERTKEEPER_FQDN: '_acme-challenge.www.exec.test',
      CERTKEEPER_TTL: '60',
      INHERITED_CHECK: 'yes',
    });
    delete process.env.INHERITED_CHECK;
  });

  it('leaves the TTL out for scripts that insist on three arguments, and can start from a clean environment', async () => {
    const { program, calls } = await recordingHook();
    process.env.INHERITED_CHECK = 'yes';
    await exec({ program, ttlArgument: false, inheritEnv: false }).createRecord(zone, record);
    delete process.env.INHERITED_CHECK;
    const [present] = await calls();
    expect(present!.argv).toEqual(['present', '_acme-challenge.www.exec.test.', record.value]);
    expect(present!.env.INHERITED_CHECK).toBeUndefined();
  });

  it('never goes through a shell: a value full of shell syntax arrives as one argument and runs nothing', async () => {
    const { program, calls } = await recordingHook();
    const marker = join(dir, 'pwned');
    const hostile = { ...record, value: `x"; touch ${marker}; $(touch ${marker}) \`touch ${marker}\`` };
    await exec({ program }).createRecord(zone, hostile);
    expect((await calls())[0]!.argv[2]).toBe(hostile.value);
    await expect(stat(marker)).rejects.toThrow(/ENOENT/);
  });

  it('turns a non-zero exit into a typed error carrying the bounded end of stderr', async () => {
    const { program } = await recordingHook(
      "process.stderr.write('noise '.repeat(5000) + 'upstream API said: zone is locked'); process.exit(1);",
    );
    const error = (await exec({ program, stderrLimit: 200 })
      .createRecord(zone, record)
      .catch((caught: unknown) => caught)) as CertkeeperError;
    expect(CertkeeperError.isInstance(error)).toBe(true);
    expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_FAILED);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('exited with 1');
    expect(error.message).toContain('upstream API said: zone is locked');
    expect(error.message.length).toBeLessThan(800);
  });

  it('kills a program that hangs and reports a retryable timeout', async () => {
    const { program } = await recordingHook('setInterval(() => {}, 1000);');
    const started = performance.now();
    const error = (await exec({ program, timeoutMs: 300, killGraceMs: 100 })
      .createRecord(zone, record)
      .catch((caught: unknown) => caught)) as CertkeeperError;
    expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_FAILED);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('time limit');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('without a list action: listRecords says so with a typed error, deleteRecord reports true', async () => {
    const { program } = await recordingHook();
    const dns = exec({ program });
    const error = (await dns.listRecords(zone).catch((caught: unknown) => caught)) as CertkeeperError;
    expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_FAILED);
    expect(error.message).toContain('list: true');
    expect(await dns.deleteRecord(zone, record)).toBe(true);
  });

  it('a program that is not there fails with a typed, non-retryable error', async () => {
    const error = (await exec({ program: join(dir, 'missing-hook') })
      .createRecord(zone, record)
      .catch((caught: unknown) => caught)) as CertkeeperError;
    expect(error.code).toBe(ErrorCodes.DNS_PROVIDER_FAILED);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('ENOENT');
  });

  it('loads through its plugin descriptor', async () => {
    const { program, calls } = await recordingHook();
    const dns = await execPlugin.create({ program });
    await dns.createRecord(zone, record);
    expect((await calls())[0]!.argv[0]).toBe('present');
  });

  it('measures the cost of one run (node hook: process start dominates)', async () => {
    const dns = fileProvider();
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      await dns.createRecord(zone, { ...record, value: `v${i}` });
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        figure: 'exec present run (node hook)',
        median_ms: Math.round(samples[5]! * 10) / 10,
      }),
    );
    expect(samples[5]).toBeGreaterThan(0);
  });
});
