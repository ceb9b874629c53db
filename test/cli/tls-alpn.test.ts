// The built `certkeeper` binary answering tls-alpn-01 from Pebble 2.10 with its standalone responder, chosen by
// flag (--tls-alpn-standalone / --tls-alpn-listen) and by config (solvers[].type: tls-alpn-01-standalone).
import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCliBuilt,
  explain,
  freePort,
  removeWorkdirs,
  runCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

let dir: string;
let ca: TestCa;
let tlsPort: number;
const certkeeper = (...args: string[]) => runCli(args, { cwd: dir });

const baseConfig = () => `ca:
  directory: ${ca.proxy.directoryUrl}
  caBundle: ${ca.caBundleFile}
account:
  email: ops@example.test
  agreeTos: true
store:
  directory: ./data
`;

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('tls-alpn');
  tlsPort = await freePort();
  ca = await startTestCa(dir, { tlsPort });
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

const sans = async (output: string) =>
  new X509Certificate(await readFile(join(dir, output, 'cert.pem'))).subjectAltName;

describe('certkeeper with tls-alpn-01', () => {
  it('--tls-alpn-listen issues a DNS name and an IP address through the built-in responder', async () => {
    await writeFile(join(dir, 'certkeeper.yaml'), baseConfig());
    const result = await certkeeper(
      'issue',
      'flag.alpn.test',
      '127.0.0.1',
      '--tls-alpn-listen',
      `127.0.0.1:${tlsPort}`,
      '--output',
      './out/flag',
    );
    expect(result.code, explain(result)).toBe(0);
    expect(await sans('out/flag')).toBe('DNS:flag.alpn.test, IP Address:127.0.0.1');
  });

  it('solvers[].type tls-alpn-01-standalone with listen issues from the config file', async () => {
    await writeFile(
      join(dir, 'certkeeper.yaml'),
      `${baseConfig()}solvers:
  - type: tls-alpn-01-standalone
    listen: 127.0.0.1:${tlsPort}
certificates:
  - names: [config.alpn.test]
    output: ./out/config
`,
    );
    const result = await certkeeper('renew');
    expect(result.code, explain(result)).toBe(4);
    expect(await sans('out/config')).toBe('DNS:config.alpn.test');
  });

  it('refuses a wildcard before ordering: tls-alpn-01 cannot prove it (exit 2, dns-01 named)', async () => {
    const result = await certkeeper('issue', '*.wild.alpn.test', '--tls-alpn-standalone');
    expect(result.code, explain(result)).toBe(2);
    expect(result.stdout + result.stderr).toContain(
      'a wildcard can only be proven with dns-01 or dns-account-01 or dns-persist-01; configured solvers: tls-alpn-01',
    );
  });

  it('refuses http-01 and tls-alpn-01 responders on one port (exit 2, both flags named)', async () => {
    const result = await certkeeper(
      'issue',
      'port.alpn.test',
      '--http-listen',
      `127.0.0.1:${tlsPort}`,
      '--tls-alpn-listen',
      `127.0.0.1:${tlsPort}`,
    );
    expect(result.code, explain(result)).toBe(2);
    expect(result.stdout + result.stderr).toContain('--tls-alpn-listen');
    expect(result.stdout + result.stderr).toContain('--http-listen');
  });

  it('refuses a listen address that is not one (exit 2, the flag named) before any request', async () => {
    const result = await certkeeper('issue', 'bad.alpn.test', '--tls-alpn-listen', 'example.test:https');
    expect(result.code, explain(result)).toBe(2);
    expect(result.stdout + result.stderr).toContain(
      '--tls-alpn-listen: expected host:port, :port or a port, got "example.test:https"',
    );
  });
});
