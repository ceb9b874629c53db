// `issue --csr <file>` and config `certificates[].csr` through the built binary against Pebble: the order uses the
// user's CSR (names from it, the certificate for its key), certkeeper never holds the key — no privkey.pem in the
// store, the output or the hook's variables — and renewals reuse the CSR the recipe remembers. Hostile CSR files
// (too big, not a CSR, a bad signature, names the checks refuse) exit 2 naming the file, before the CA hears anything.
import { createHash } from 'node:crypto';
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CertificateKey,
  certificateMatchesKey,
  createCsr,
  generateCertificateKey,
  parseCertificate,
} from '@certkeeper/core';
import { allCertificates, FileStore } from '@certkeeper/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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
let key: CertificateKey;
const certkeeper = (...args: string[]) => runCli(args, { cwd: dir });
const exists = (path: string) =>
  access(join(dir, path)).then(
    () => true,
    () => false,
  );
const spkiSha256 = (k: CertificateKey) =>
  createHash('sha256')
    .update(k.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');

/** A CSR for these names, signed with `signer`, written as PEM or DER. */
async function writeCsr(file: string, names: string[], signer = key, form: 'pem' | 'der' = 'pem') {
  const csr = await createCsr({
    identifiers: names.map((value) => ({ type: 'dns' as const, value })),
    key: signer,
  });
  await writeFile(join(dir, file), form === 'pem' ? csr.pem : csr.der);
  return csr;
}

async function storedRecords(store = 'data') {
  const opened = await FileStore.open({ directory: join(dir, store) });
  try {
    const records = [];
    for await (const record of allCertificates(opened)) records.push(record);
    return records;
  } finally {
    await opened.close();
  }
}

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('csr');
  ca = await startTestCa(dir);
  key = await generateCertificateKey('ec256');
  await writeFile(join(dir, 'certkeeper.yaml'), caConfig(ca, './data'));
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

describe('issue --csr', () => {
  it('orders with the CSR: its names, a certificate for its key, and no private key anywhere', async () => {
    await writeCsr('request.pem', ['csr.test', 'www.csr.test']);
    const result = await certkeeper(
      'issue',
      '--csr',
      'request.pem',
      '--output',
      'out',
      '--deploy-hook',
      "sh -c 'env | grep ^CERTKEEPER_ | sort > hook.env'",
    );
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout).toMatch(/^csr\.test, www\.csr\.test: issued/m);
    expect(result.stdout).toContain('(the key is your own: no privkey.pem)');

    const leaf = parseCertificate(await readFile(join(dir, 'out', 'cert.pem'), 'utf8'));
    expect(certificateMatchesKey(leaf, key)).toBe(true);
    expect([...leaf.names].sort()).toEqual(['csr.test', 'www.csr.test']);
    for (const file of ['fullchain.pem', 'cert.pem', 'chain.pem'])
      expect(await exists(join('out', file))).toBe(true);
    expect(await exists(join('out', 'privkey.pem'))).toBe(false);

    const [record] = await storedRecords();
    expect(record?.keyPem).toBeUndefined();
    expect(record?.externalKey).toEqual({ spkiSha256: spkiSha256(key) });
    expect(record?.keyType).toBe('ec256');
    const hookEnv = await readFile(join(dir, 'hook.env'), 'utf8');
    expect(hookEnv).toMatch(/^CERTKEEPER_FULLCHAIN=.*out\/fullchain\.pem$/m);
    expect(hookEnv).not.toContain('CERTKEEPER_PRIVKEY');

    const status = JSON.parse((await certkeeper('status', '--json')).stdout) as {
      certificates: { identifiers: string[]; externalKey?: boolean }[];
    };
    expect(status.certificates.find((c) => c.identifiers.includes('csr.test'))?.externalKey).toBe(true);
  });

  it('renewals reuse the CSR the recipe remembers (the file may be gone); a fresh one asks the CA nothing', async () => {
    const before = parseCertificate(await readFile(join(dir, 'out', 'cert.pem'), 'utf8'));
    await rm(join(dir, 'request.pem'));
    ca.proxy.clearLog();
    const fresh = await certkeeper('renew');
    expect(fresh.code, explain(fresh)).toBe(0);
    expect(fresh.stdout).toMatch(/^csr\.test, www\.csr\.test: fresh/m);
    expect(significantRequests(ca.proxy)).toEqual([]);

    const renewed = await certkeeper('renew', '--force', '--json');
    expect(renewed.code, explain(renewed)).toBe(4);
    const deployed = jsonLines(renewed.stdout).find((line) => line.event === 'deployed')!;
    expect(deployed.files).toEqual({ fullchain: join(dir, 'out', 'fullchain.pem') });
    const after = parseCertificate(await readFile(join(dir, 'out', 'cert.pem'), 'utf8'));
    expect(after.serialNumberHex).not.toBe(before.serialNumberHex);
    expect(certificateMatchesKey(after, key)).toBe(true);
    expect(await exists(join('out', 'privkey.pem'))).toBe(false);
    expect((await storedRecords())[0]?.keyPem).toBeUndefined();
  });

  it('takes a DER CSR, and names given beside it when they are exactly its names', async () => {
    await writeCsr('request.der', ['der.csr.test'], key, 'der');
    const result = await certkeeper('issue', '--csr', 'request.der', 'DER.csr.test');
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout).toMatch(/^DER\.csr\.test: issued/m);
  });
});

describe('issue --csr refuses, exit 2, nothing sent to the CA', () => {
  const refused = async (args: string[], pattern: RegExp, code = 'CERTKEEPER_ERR_INVALID_CSR') => {
    ca.proxy.clearLog();
    const result = await certkeeper(...args);
    expect(result.code, explain(result)).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).toContain(code);
    expect(significantRequests(ca.proxy)).toEqual([]);
  };

  it('a file too big to be a CSR, without reading it whole', async () => {
    const csr = await createCsr({ identifiers: [{ type: 'dns', value: 'big.csr.test' }], key });
    await writeFile(join(dir, 'big.pem'), `${'#'.repeat(70 * 1024)}\n${csr.pem}`);
    await refused(
      ['issue', '--csr', 'big.pem'],
      /The CSR file \S*big\.pem \(--csr\) is 7\d{4} bytes, more than a CSR can be \(64 KiB at most\)/,
    );
  });

  it('a file that is not a CSR (a certificate; text)', async () => {
    await writeFile(join(dir, 'cert.pem'), await readFile(join(dir, 'out', 'cert.pem')));
    await refused(
      ['issue', '--csr', 'cert.pem'],
      /The CSR file \S*cert\.pem \(--csr\) is not usable: it is not a readable PKCS#10/,
    );
    await writeFile(join(dir, 'text.txt'), 'hello\n');
    await refused(['issue', '--csr', 'text.txt'], /The CSR file \S*text\.txt \(--csr\) is not usable/);
    await refused(
      ['issue', '--csr', 'missing.pem'],
      /The CSR file \S*missing\.pem \(--csr\) cannot be read \(ENOENT\)/,
    );
  });

  it('a CSR whose signature does not verify (a name changed after signing)', async () => {
    const csr = await createCsr({ identifiers: [{ type: 'dns', value: 'sig.csr.test' }], key });
    // Same length, another name: the structure parses, the signature no longer covers what it says.
    const altered = Buffer.from(csr.der);
    const at = altered.indexOf(Buffer.from('sig.csr.test'));
    expect(at).toBeGreaterThan(0);
    altered.write('bad', at);
    await writeFile(join(dir, 'altered.der'), altered);
    await refused(
      ['issue', '--csr', 'altered.der'],
      /altered\.der \(--csr\) is not usable: its signature does not verify/,
    );
  });

  it('names the checks refuse, and names beside it that are not its names', async () => {
    await writeCsr('single.pem', ['intranet']);
    await refused(
      ['issue', '--csr', 'single.pem'],
      /The CSR file \S*single\.pem \(--csr\) requests names that cannot be ordered: .*intranet/s,
      'CERTKEEPER_ERR_INVALID_IDENTIFIER',
    );
    await writeCsr('other.pem', ['other.csr.test']);
    await refused(
      ['issue', '--csr', 'other.pem', 'not-other.csr.test'],
      /The CSR file \S*other\.pem \(--csr\) requests other\.csr\.test, not not-other\.csr\.test/,
    );
  });

  it('--reuse-key and --key-type beside it', async () => {
    await refused(
      ['issue', '--csr', 'other.pem', '--reuse-key'],
      /--csr and --reuse-key do not go together/,
      'CERTKEEPER_ERR_INVALID_OPTION',
    );
    await refused(
      ['--key-type', 'rsa2048', 'issue', '--csr', 'other.pem'],
      /--csr and --key-type do not go together/,
      'CERTKEEPER_ERR_INVALID_OPTION',
    );
  });
});

describe('config certificates[].csr', () => {
  it('renew orders with the configured CSR, and no private key is stored', async () => {
    const own = await generateCertificateKey('ec384');
    await writeCsr('configured.pem', ['conf.csr.test'], own);
    await writeFile(
      join(dir, 'configured.yaml'),
      caConfig(
        ca,
        './data-configured',
        'certificates:\n  - names: [conf.csr.test]\n    csr: configured.pem\n',
      ),
    );
    const result = await certkeeper('--config', 'configured.yaml', 'renew');
    expect(result.code, explain(result)).toBe(4);
    const [record] = await storedRecords('data-configured');
    expect(record?.keyPem).toBeUndefined();
    expect(record?.keyType).toBe('ec384');
    expect(record?.externalKey).toEqual({ spkiSha256: spkiSha256(own) });
    expect(certificateMatchesKey(parseCertificate(record!.certificatePem), own)).toBe(true);
    const again = await certkeeper('--config', 'configured.yaml', 'renew');
    expect(again.code, explain(again)).toBe(0);
  });

  it('takes the names from the CSR when the entry gives none', async () => {
    await writeCsr('nameless.pem', ['nameless.csr.test', 'www.nameless.csr.test']);
    await writeFile(
      join(dir, 'nameless.yaml'),
      caConfig(ca, './data-nameless', 'certificates:\n  - csr: nameless.pem\n    output: out-nameless\n'),
    );
    const result = await certkeeper('--config', 'nameless.yaml', 'renew');
    expect(result.code, explain(result)).toBe(4);
    expect(result.stdout).toMatch(/^nameless\.csr\.test, www\.nameless\.csr\.test: issued/m);
    expect(await exists(join('out-nameless', 'fullchain.pem'))).toBe(true);
    expect(await exists(join('out-nameless', 'privkey.pem'))).toBe(false);
  });

  it('refuses keyType beside it and names that are not the CSR’s, naming file and line', async () => {
    await writeFile(
      join(dir, 'conflict.yaml'),
      caConfig(
        ca,
        './data-conflict',
        'certificates:\n  - names: [wrong.csr.test]\n    keyType: rsa2048\n    csr: configured.pem\n',
      ),
    );
    const result = await certkeeper('--config', 'conflict.yaml', 'renew');
    expect(result.code, explain(result)).toBe(2);
    expect(result.stderr).toMatch(/conflict\.yaml:\d+:\d+ certificates\[0\]\.keyType: a CSR names the key/);
    expect(result.stderr).toMatch(
      /conflict\.yaml:\d+:\d+ certificates\[0\]\.names: the CSR \S*configured\.pem requests conf\.csr\.test; names must be exactly those/,
    );
  });
});
