import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INIT_TEMPLATE } from './init-template.js';
import { loadConfig } from './load-config.js';

async function configFile(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'certkeeper-config-spec-')), 'certkeeper.yaml');
  await writeFile(file, text);
  return file;
}

async function problemsOf(text: string): Promise<string[]> {
  const file = await configFile(text);
  const error = await loadConfig(file).then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string },
  );
  expect(error?.code).toBe('CERTKEEPER_ERR_CONFIG_INVALID');
  return error!.message
    .split('\n')
    .filter((line) => line.startsWith('  '))
    .map((line) => line.trim().replace(file, 'F'));
}

describe('loadConfig', () => {
  it('accepts the template `certkeeper init` writes', async () => {
    const { config } = await loadConfig(await configFile(INIT_TEMPLATE));
    expect(config.ca?.directory).toBe('letsencrypt-staging');
    expect(config.solvers?.[0]).toEqual({ type: 'http-01-standalone', listen: ':80' });
    // No placeholder certificate a following `renew` would order; uncommenting the example gives a valid one.
    expect(config.certificates).toEqual([]);
    const uncommented = INIT_TEMPLATE.replace('certificates: []\n#  - names:', 'certificates:\n  - names:');
    const edited = await loadConfig(await configFile(uncommented));
    expect(edited.config.certificates?.[0]?.names).toEqual(['example.com', 'www.example.com']);
  });

  it('names line, column and key of every problem, and what was expected', async () => {
    const problems = await problemsOf(
      [
        'ca:',
        '  directory: 42',
        'account:',
        '  emial: ops@example.test',
        'solvers:',
        '  - type: dns-02',
        '  - type: dns-01',
        'certificates:',
        '  - names: []',
        '    deployHook: reload',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([
      'F:2:14 ca.directory: expected a string, got the number 42',
      'F:4:3 account.emial: unknown key "emial"; expected one of: name, email, keyAlgorithm, eab, agreeTos',
      'F:6:11 solvers[0].type: expected one of "http-01-standalone", "http-01-webroot", "tls-alpn-01-standalone", "dns-01", got "dns-02"',
      'F:7:5 solvers[1].provider: missing; expected a string',
      'F:9:12 certificates[0].names: expected at least one name',
      'F:10:17 certificates[0].deployHook: expected a list, got the string "reload"',
    ]);
  });

  it('explains what a secret may be', async () => {
    const problems = await problemsOf('account:\n  eab:\n    kid: k\n    hmacKey: { variable: X }\n');
    expect(problems).toEqual([
      'F:4:14 account.eab.hmacKey: expected { env: VARIABLE_NAME }, { file: path } or (discouraged) the secret inline',
    ]);
  });

  it('reports YAML syntax errors at their position, and a missing file by name', async () => {
    expect(await problemsOf('ca:\n  directory: [letsencrypt\n')).toEqual([
      expect.stringMatching(/^F:\d+:\d+: not valid YAML: /),
    ]);
    expect(await problemsOf('a: 1\na: 2\n')).toEqual([
      expect.stringMatching(/^F:2:1: not valid YAML: Map keys must be unique/),
    ]);
    await expect(loadConfig('/nonexistent/certkeeper.yaml')).rejects.toThrow(
      'The configuration file /nonexistent/certkeeper.yaml cannot be read (it does not exist)',
    );
  });
});
