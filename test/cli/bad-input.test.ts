// Bad input never leaves a half-done state: each case gives one clear message naming what is wrong and where,
// exits 2, and the CA never hears from us (the fault proxy in front of Pebble logs nothing).
import { chmod, chown, mkdir, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CliResult,
  caConfig,
  ensureCliBuilt,
  explain,
  jsonLines,
  removeWorkdirs,
  runCli,
  significantRequests,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

let dir: string;
let ca: TestCa;

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('bad-input');
  ca = await startTestCa(dir);
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});
beforeEach(() => ca.proxy.clearLog());

async function withConfig(name: string, yaml: string, args: string[], env: Record<string, string> = {}) {
  await writeFile(join(dir, name), yaml, { mode: 0o644 });
  return runCli([...args, '--config', name], { cwd: dir, env });
}

/** Exit 2, the message once on stderr (with its code), nothing on stdout, and nothing sent to the CA. */
function expectRejectedBeforeAnyOrder(result: CliResult, code: string) {
  expect(result.code, explain(result)).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`(${code})`);
  expect(result.stderr.match(/^certkeeper: /gm)).toHaveLength(1);
  expect(ca.proxy.log).toEqual([]);
}

describe('bad input stops certkeeper before any order', () => {
  it('a config with an error on a known line names the file, line, column and key, and what was expected', async () => {
    const yaml = `${caConfig(ca, './data-config')}certificates:
  - names: [ok.bad.test]
  - names: [www.bad.test]
    keyType: ec521
    outptu: ./out
`;
    const file = join(dir, 'broken.yaml');
    const keyTypeLine = yaml.split('\n').findIndex((line) => line.includes('ec521')) + 1;
    const result = await withConfig('broken.yaml', yaml, ['renew']);
    expectRejectedBeforeAnyOrder(result, 'CERTKEEPER_ERR_CONFIG_INVALID');
    expect(result.stderr).toContain(`Found 2 problems in the configuration ${file}; nothing was done:`);
    expect(result.stderr).toContain(
      `${file}:${keyTypeLine}:14 certificates[1].keyType: expected one of "ec256", "ec384", "rsa2048", "rsa3072", "rsa4096", got "ec521"`,
    );
    expect(result.stderr).toContain(
      `${file}:${keyTypeLine + 1}:5 certificates[1].outptu: unknown key "outptu"; expected one of: names, keyType, profile, output, deployHook`,
    );
    expect(result.stderr).toContain('Next: fix the keys named above');
  });

  it('YAML that does not parse is reported at its line', async () => {
    const result = await withConfig('syntax.yaml', 'ca:\n  directory: [letsencrypt\nstore: {}\n', ['status']);
    expectRejectedBeforeAnyOrder(result, 'CERTKEEPER_ERR_CONFIG_INVALID');
    expect(result.stderr).toMatch(/syntax\.yaml:\d+:\d+: not valid YAML: /);
  });

  it('a missing secret names the variable and where it is configured, never a value', async () => {
    const yaml = `${caConfig(ca, './data-secret')}  - type: dns-01
    provider: rfc2136
    options:
      server: 127.0.0.1:53
      keyName: certkeeper
      keySecret: { env: CK_TEST_TSIG_SECRET }
certificates:
  - names: [secret.bad.test]
`;
    const line = yaml.split('\n').findIndex((l) => l.includes('CK_TEST_TSIG_SECRET')) + 1;
    const result = await withConfig('secret.yaml', yaml, ['renew']);
    expectRejectedBeforeAnyOrder(result, 'CERTKEEPER_ERR_SECRET_UNAVAILABLE');
    expect(result.stderr).toContain(
      `${join(dir, 'secret.yaml')}:${line}:18 solvers[1].options.keySecret: the environment variable CK_TEST_TSIG_SECRET is not set; it should hold the rfc2136 option keySecret. Nothing was done.`,
    );

    const file = await withConfig(
      'secret-file.yaml',
      yaml.replace('{ env: CK_TEST_TSIG_SECRET }', '{ file: tsig.key }'),
      ['renew'],
    );
    expectRejectedBeforeAnyOrder(file, 'CERTKEEPER_ERR_SECRET_UNAVAILABLE');
    expect(file.stderr).toContain(
      `the secret file ${join(dir, 'tsig.key')} cannot be read (it does not exist)`,
    );

    const eab = await withConfig(
      'eab.yaml',
      caConfig(ca, './data-eab').replace(
        'email: ops@example.test',
        'email: ops@example.test\n  eab:\n    kid: kid-1\n    hmacKey: { env: CK_TEST_EAB_HMAC }',
      ),
      ['account', 'register'],
    );
    expectRejectedBeforeAnyOrder(eab, 'CERTKEEPER_ERR_SECRET_UNAVAILABLE');
    expect(eab.stderr).toContain('account.eab.hmacKey: the environment variable CK_TEST_EAB_HMAC is not set');
  });

  it('an inline secret works but draws a warning; the value never appears in output', async () => {
    const yaml = `${caConfig(ca, './data-inline')}  - type: dns-01
    provider: rfc2136
    options:
      keySecret: c2VjcmV0LXZhbHVlLTEyMzQ=
certificates:
  - names: [inline.bad.test]
`;
    const result = await withConfig('inline.yaml', yaml, ['renew']);
    // The warning, then the plugin's own check: `server` is required.
    expect(result.stderr).toMatch(
      /warning: .*solvers\[1\]\.options\.keySecret: the rfc2136 option keySecret is a secret written inline/,
    );
    expectRejectedBeforeAnyOrder(result, 'CERTKEEPER_ERR_CONFIG_INVALID');
    expect(result.stderr).toMatch(/solvers\[1\]\.options\.server: missing; expected string/);
    expect(result.stderr + result.stdout).not.toContain('c2VjcmV0LXZhbHVlLTEyMzQ=');
  });

  it('an unknown plugin is named with its package and where certkeeper looked', async () => {
    const yaml = `${caConfig(ca, './data-plugin')}  - type: dns-01
    provider: nosuchdns
certificates:
  - names: ['*.plugin.bad.test']
`;
    const result = await withConfig('plugin.yaml', yaml, ['renew']);
    expectRejectedBeforeAnyOrder(result, 'CERTKEEPER_ERR_PLUGIN_LOAD_FAILED');
    expect(result.stderr).toContain(
      'the DNS plugin "nosuchdns" (package @certkeeper/dns-nosuchdns) is not installed; looked in',
    );
    expect(result.stderr).toContain(
      'Next: install it next to certkeeper (npm install -g @certkeeper/dns-nosuchdns)',
    );

    const flag = await runCli(['issue', '--dns', 'nosuchdns', '--ca', ca.proxy.directoryUrl, 'x.bad.test'], {
      cwd: dir,
      env: { CERTKEEPER_CONFIG: join(dir, 'plugin.yaml') },
    });
    expectRejectedBeforeAnyOrder(flag, 'CERTKEEPER_ERR_PLUGIN_LOAD_FAILED');
  });

  it('an unwritable output directory is found before the account is even registered', async () => {
    const data = join(dir, 'data-unwritable');
    const readOnly = join(dir, 'read-only');
    await mkdir(data, { recursive: true });
    await mkdir(readOnly, { recursive: true, mode: 0o555 });
    await chmod(readOnly, 0o555);
    // Root writes anywhere: run as nobody then, with a store nobody owns.
    const user = process.getuid?.() === 0 ? 65534 : undefined;
    if (user !== undefined) await chown(data, user, user);
    const yaml = caConfig(
      ca,
      data,
      `certificates:\n  - names: [out.bad.test]\n    output: ${readOnly}/out\n`,
    );
    await writeFile(join(dir, 'unwritable.yaml'), yaml, { mode: 0o644 });
    const result = await runCli(['renew', '--config', 'unwritable.yaml'], {
      cwd: dir,
      ...(user ? { user } : {}),
    });
    expectRejectedBeforeAnyOrder(result, 'CERTKEEPER_ERR_OUTPUT_NOT_WRITABLE');
    expect(result.stderr).toContain(
      `The output directory of out.bad.test ${readOnly}/out is not writable (permission denied); nothing was ordered.`,
    );
  });

  it('a busy http-01 port fails before the order is placed', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(ca.httpPort, '127.0.0.1', resolve));
    try {
      const yaml = caConfig(ca, './data-port', 'certificates:\n  - names: [port.bad.test]\n');
      const result = await withConfig('port.yaml', yaml, ['renew']);
      expect(result.code, explain(result)).toBe(2);
      // Found under the certificate's lease, before the order: reported as the certificate's outcome.
      expect(result.stdout + result.stderr).toContain('(CERTKEEPER_ERR_LISTEN_FAILED)');
      expect(ca.proxy.count('newOrder')).toBe(0);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('usage errors exit 2: an unknown command, a bad flag value, an unknown CA alias, issue without a solver', async () => {
    const unknown = await runCli(['renwe'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'renwe'");
    const keyType = await runCli(['issue', '--key-type', 'ec521', 'a.bad.test'], { cwd: dir });
    expect(keyType.code).toBe(2);
    expect(keyType.stderr).toContain("option '--key-type <type>' argument 'ec521' is invalid");
    const alias = await runCli(['status', '--ca', 'letsencrypt-prod'], { cwd: dir });
    expect(alias.code).toBe(2);
    expect(alias.stderr).toContain('--ca: expected one of letsencrypt, letsencrypt-staging, zerossl');
    const noSolver = await runCli(['issue', '--json', '--ca', ca.proxy.directoryUrl, 'a.bad.test'], {
      cwd: dir,
    });
    expect(noSolver.code).toBe(2);
    expect(jsonLines(noSolver.stdout)).toEqual([
      expect.objectContaining({ event: 'error', code: 'CERTKEEPER_ERR_CONFIG_INVALID' }),
    ]);
    expect(ca.proxy.log).toEqual([]);
  });

  it('a wildcard with only http-01 configured: exit 2 before any order, the solver to add named, no backoff', async () => {
    const yaml = caConfig(
      ca,
      './data-wildcard',
      'certificates:\n  - names: [wild.bad.test, "*.wild.bad.test"]\n',
    );
    for (const args of [['renew'], ['issue', 'wild.bad.test', '*.wild.bad.test']]) {
      ca.proxy.clearLog();
      const result = await withConfig('wildcard.yaml', yaml, args);
      expect(result.code, explain(result)).toBe(2);
      expect(`${result.stdout}${result.stderr}`).toContain('CERTKEEPER_ERR_PREFLIGHT_FAILED');
      expect(`${result.stdout}${result.stderr}`).toContain('*.wild.bad.test');
      expect(`${result.stdout}${result.stderr}`).toContain('dns-01');
      expect(ca.proxy.count('newOrder')).toBe(0);
      expect(significantRequests(ca.proxy)).toEqual([]);
    }
    expect(await readdir(join(dir, 'data-wildcard', 'backoff')).catch(() => [])).toEqual([]);
  });

  it('renew with no solver configured: exit 2 before any order (the preflight names what to add), no backoff', async () => {
    const yaml = caConfig(ca, './data-nosolver', 'certificates:\n  - names: [nosolver.bad.test]\n').replace(
      /solvers:\n {2}- type: http-01-standalone\n {4}listen: .*\n/,
      '',
    );
    expect(yaml).not.toContain('solvers:');
    const result = await withConfig('nosolver.yaml', yaml, ['renew', '--json']);
    expect(result.code, explain(result)).toBe(2);
    const outcome = jsonLines(result.stdout).find((event) => event.event === 'outcome');
    expect(outcome).toMatchObject({
      type: 'failed',
      fault: 'local',
      code: 'CERTKEEPER_ERR_PREFLIGHT_FAILED',
      hint: expect.stringContaining('change the configuration'),
    });
    expect(significantRequests(ca.proxy)).toEqual([]);
    expect(await readdir(join(dir, 'data-nosolver', 'backoff')).catch(() => [])).toEqual([]);
  });
});
