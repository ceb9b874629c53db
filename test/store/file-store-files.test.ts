import { lstat, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateDirectoryName, certificateFiles, FileStore } from '@certkeeper/store';
import { certificateRecord } from '@certkeeper/testkit/store-conformance';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('FileStore files for web servers', () => {
  let root: string;
  let directory: string;
  let store: FileStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'certkeeper-files-'));
    directory = join(root, 'store');
    // A permissive umask must not leak into key files.
    const previous = process.umask(0o000);
    try {
      store = await FileStore.open({ directory });
      await store.putCertificate(certificateRecord('www.example.test', 1));
      await store.putAccount({
        name: 'default',
        directoryUrl: 'https://ca.example.test/directory',
        accountUrl: 'https://ca.example.test/acct/1',
        keyPem: 'secret',
        contact: [],
        createdAt: '2026-11-01T00:00:00.000Z',
      });
    } finally {
      process.umask(previous);
    }
  });
  afterEach(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  it('writes the PEM files at the documented paths with key files 0600 and a 0700 store directory', async () => {
    const files = certificateFiles(directory, 'www.example.test');
    expect(files.directory).toBe(join(directory, 'certificates', 'www.example.test'));
    expect(files.privkey).toBe(join(directory, 'certificates', 'www.example.test', 'privkey.pem'));
    const record = certificateRecord('www.example.test', 1);
    expect(await readFile(files.fullchain, 'utf8')).toBe(record.certificatePem);
    expect(await readFile(files.privkey, 'utf8')).toBe(record.keyPem);
    const [leaf, intermediate] = record.certificatePem.match(
      /-----BEGIN[\s\S]+?-----END CERTIFICATE-----\n/g,
    )!;
    expect(await readFile(files.cert, 'utf8')).toBe(leaf);
    expect(await readFile(files.chain, 'utf8')).toBe(intermediate);
    expect(await mode(files.privkey)).toBe(0o600);
    expect(await mode(join(files.directory, 'record.json'))).toBe(0o600);
    expect(await mode(files.fullchain)).toBe(0o644);
    expect(await mode(directory)).toBe(0o700);
    const [accountFile] = await readdir(join(directory, 'accounts'));
    expect(await mode(join(directory, 'accounts', accountFile!))).toBe(0o600);
  });

  it('replaces all four files at once by swapping one symlink, keeping the paths', async () => {
    const files = certificateFiles(directory, 'www.example.test');
    expect((await lstat(files.directory)).isSymbolicLink()).toBe(true);
    const before = await readlink(files.directory);
    await store.putCertificate(certificateRecord('www.example.test', 2));
    const after = await readlink(files.directory);
    expect(after).not.toBe(before);
    expect(after.startsWith('.versions/')).toBe(true);
    expect(await readFile(files.privkey, 'utf8')).toBe(certificateRecord('www.example.test', 2).keyPem);
    expect(await readFile(files.fullchain, 'utf8')).toBe(
      certificateRecord('www.example.test', 2).certificatePem,
    );
    // The previous version stays for readers that resolved the old link; older ones go.
    await store.putCertificate(certificateRecord('www.example.test', 3));
    const versions = await readdir(join(directory, 'certificates', '.versions', 'www.example.test'));
    expect(versions.sort()).toEqual(
      [after.split('/').at(-1), (await readlink(files.directory)).split('/').at(-1)].sort(),
    );
  });

  it('names a key that is not a plain name by a readable slug and a hash, never escaping the directory', async () => {
    const key = 'https://acme.example.test/acct/7 dns:example.test,dns:www.example.test ../../etc';
    const name = certificateDirectoryName(key);
    expect(name).toMatch(/^[a-z0-9][a-z0-9._-]*~[0-9a-f]{16}$/);
    expect(name).not.toContain('/');
    expect(certificateDirectoryName(`${key} `)).not.toBe(name);
    await store.putCertificate(certificateRecord(key, 1));
    expect((await store.getCertificate(key))?.key).toBe(key);
    expect(await readFile(certificateFiles(directory, key).privkey, 'utf8')).toBe(
      certificateRecord(key, 1).keyPem,
    );
    const listed = await store.listCertificates();
    expect(listed.map((record) => record.key)).toEqual([key, 'www.example.test'].sort());
  });
});
