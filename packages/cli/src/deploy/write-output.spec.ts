import { lstat, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CertificateRecord } from '@certkeeper/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outputHolds, writeOutput } from './write-output.js';

const block = (body: string) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(body).toString('base64')}\n-----END CERTIFICATE-----\n`;
const record = (serial: string): CertificateRecord =>
  ({
    key: 'k',
    serialNumberHex: serial,
    certificatePem: `${block(`leaf ${serial}`)}${block('intermediate')}`,
    keyPem: `-----BEGIN PRIVATE KEY-----\nkey ${serial}\n-----END PRIVATE KEY-----\n`,
  }) as CertificateRecord;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certkeeper-output-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeOutput', () => {
  it('serves the four files through one current link, keeps the previous version, removes older ones', async () => {
    await writeOutput(dir, record('01'));
    await writeOutput(dir, record('02'));
    await writeOutput(dir, record('03'));
    expect(await readlink(join(dir, 'privkey.pem'))).toBe('current/privkey.pem');
    expect(await readFile(join(dir, 'privkey.pem'), 'utf8')).toContain('key 03');
    expect(await readFile(join(dir, 'cert.pem'), 'utf8')).toBe(block('leaf 03'));
    expect(await readFile(join(dir, 'chain.pem'), 'utf8')).toBe(block('intermediate'));
    expect((await lstat(join(dir, 'current/privkey.pem'))).mode & 0o777).toBe(0o600);
    expect((await lstat(join(dir, 'current/fullchain.pem'))).mode & 0o777).toBe(0o644);
    const versions = (await readdir(join(dir, '.versions'))).sort();
    expect(versions.map((v) => v.slice(0, 2))).toEqual(['02', '03']);
    expect(await outputHolds(dir, record('03'))).toBe(true);
    expect(await outputHolds(dir, record('02'))).toBe(false);
  });

  it('converts plain files, clears its own draft links and leaves other files alone', async () => {
    await writeFile(join(dir, 'privkey.pem'), 'old key');
    // A draft a killed switch left behind (cleared), and a file of the user's that merely looks temporary (kept).
    await writeFile(join(dir, '.tmp-current-abc-0123abcd'), 'draft');
    await writeFile(join(dir, '.tmp-mine'), 'mine');
    await writeFile(join(dir, 'notes.txt'), 'mine');
    expect(await outputHolds(dir, record('01'))).toBe(false);
    await writeOutput(dir, record('01'));
    expect(await outputHolds(dir, record('01'))).toBe(true);
    expect((await readdir(dir)).sort()).toEqual([
      '.tmp-mine',
      '.versions',
      'cert.pem',
      'chain.pem',
      'current',
      'fullchain.pem',
      'notes.txt',
      'privkey.pem',
    ]);
  });
});
