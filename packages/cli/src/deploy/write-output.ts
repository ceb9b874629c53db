import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, readlink, rename, rm, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { splitPemChain } from '@certkeeper/core';
import { type CertificateRecord, syncDirectory, writeAndSync } from '@certkeeper/store';

export interface OutputFiles {
  readonly directory: string;
  readonly fullchain: string;
  /** Not written for an external key (the caller's own CSR). */
  readonly privkey: string;
  readonly cert: string;
  readonly chain: string;
}

/** The four PEM files of an output directory, their modes, and what each holds. */
const PEM_FILES = [
  ['privkey.pem', 0o600],
  ['fullchain.pem', 0o644],
  ['cert.pem', 0o644],
  ['chain.pem', 0o644],
] as const;

const VERSIONS = '.versions';
const CURRENT = 'current';
/** Draft links of {@link replaceWithLink}: only these are ours to clear among a directory's other files. */
const DRAFT_LINK = /^\.tmp-(current|privkey\.pem|fullchain\.pem|cert\.pem|chain\.pem)-[0-9a-z]+-[0-9a-f]{8}$/;

export function outputFiles(directory: string): OutputFiles {
  return {
    directory,
    fullchain: join(directory, 'fullchain.pem'),
    privkey: join(directory, 'privkey.pem'),
    cert: join(directory, 'cert.pem'),
    chain: join(directory, 'chain.pem'),
  };
}

/** What each file holds; no privkey.pem for an external key (the caller's own CSR): certkeeper never had it. */
function contentsOf(record: CertificateRecord): Record<(typeof PEM_FILES)[number][0], string | undefined> {
  const [leaf = '', ...chain] = splitPemChain(record.certificatePem);
  return {
    'privkey.pem': record.keyPem,
    'fullchain.pem': record.certificatePem,
    'cert.pem': leaf,
    'chain.pem': chain.join(''),
  };
}

/**
 * Copy a stored certificate to a certificate's `output` directory, switching all four files at once:
 *
 *     <output>/.versions/<version>/{privkey,fullchain,cert,chain}.pem   written and fsync'd first
 *     <output>/current -> .versions/<version>                           replaced by rename(2): the switch
 *     <output>/privkey.pem -> current/privkey.pem                       (and the other three) never change
 *
 * A reader, and a process started after a kill -9 anywhere in here, sees the old set or the new set, never a key
 * from one and a certificate from the other (the old layout renamed four files one by one). The previous version
 * is kept for readers that resolved `current` just before the switch; older ones are removed. An output directory
 * in the old layout (plain files) is converted on its first switch: its files become links one by one, so a kill
 * inside that one conversion can leave a mix, which {@link outputHolds} sees and the next run repairs.
 * Callers serialise switches of one directory (the Deployer holds a lock).
 */
export async function writeOutput(directory: string, record: CertificateRecord): Promise<OutputFiles> {
  const contents = contentsOf(record);
  await switchVersion(directory, record.serialNumberHex.slice(0, 16), async (target) => {
    for (const [name, mode] of PEM_FILES) {
      const content = contents[name];
      if (content !== undefined) await writeAndSync(join(target, name), content, mode);
    }
  });
  return outputFiles(directory);
}

/**
 * The switch behind {@link writeOutput}, for any set of the four PEM names: `populate` fills a new
 * `.versions/<version>` directory (files, or links — the store's `live/` names), then `current` is renamed over to
 * it and the four stable names point through `current`. Callers serialise switches of one directory.
 */
export async function switchVersion(
  directory: string,
  versionPrefix: string,
  populate: (target: string) => Promise<void>,
): Promise<void> {
  const versions = join(directory, VERSIONS);
  await mkdir(versions, { recursive: true, mode: 0o755 });
  const suffix = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const version = `${versionPrefix}-${suffix}`;
  const target = join(versions, version);
  const drafts: string[] = [];
  try {
    await mkdir(target, { mode: 0o755 });
    await populate(target);
    await syncDirectory(target);
    await syncDirectory(versions);
    const previous = (await readlink(join(directory, CURRENT)).catch(() => undefined))?.split('/').at(-1);
    await replaceWithLink(directory, CURRENT, join(VERSIONS, version), drafts, suffix);
    // Stable names pointing through `current`: already links after the first switch, so nothing happens here. A
    // name the new version lacks (privkey.pem of an external key) goes, rather than lead nowhere.
    const held = new Set(await readdir(target));
    for (const [name] of PEM_FILES) {
      const wanted = join(CURRENT, name);
      if (!held.has(name)) await rm(join(directory, name), { force: true });
      else if ((await readlink(join(directory, name)).catch(() => undefined)) !== wanted)
        await replaceWithLink(directory, name, wanted, drafts, suffix);
    }
    await syncDirectory(directory);
    await dropOldVersions(versions, [version, previous]);
  } catch (error) {
    await Promise.all(drafts.map((draft) => unlink(draft).catch(() => undefined)));
    throw error;
  }
}

/** The four PEM file names every output (and `live/`) directory holds. */
export const PEM_FILE_NAMES: readonly string[] = PEM_FILES.map(([name]) => name);

/** Point `<directory>/<name>` at `target`: a draft link renamed over it (atomic, replaces a file or a link). */
async function replaceWithLink(
  directory: string,
  name: string,
  target: string,
  drafts: string[],
  suffix: string,
): Promise<void> {
  const draft = join(directory, `.tmp-${name}-${suffix}`);
  drafts.push(draft);
  await symlink(target, draft);
  await rename(draft, join(directory, name));
}

/** Remove versions other than `keep`, and drafts a killed switch left. Best effort: leftovers are only garbage. */
async function dropOldVersions(versions: string, keep: readonly (string | undefined)[]): Promise<void> {
  for (const entry of await readdir(versions).catch(() => [] as string[]))
    if (!keep.includes(entry))
      await rm(join(versions, entry), { recursive: true, force: true }).catch(() => {});
  const directory = join(versions, '..');
  for (const entry of await readdir(directory).catch(() => [] as string[]))
    if (DRAFT_LINK.test(entry)) await unlink(join(directory, entry)).catch(() => {});
}

/**
 * Whether the output directory's four files hold exactly this certificate and key (read through their stable
 * names, in either layout). False after a kill in the middle of a switch or of the conversion from plain files,
 * or when someone replaced a file by hand — then the next run writes it again. Plain files of the right
 * certificate (written before versioned directories) pass: they are converted at the next issuance, not re-deployed.
 */
export async function outputHolds(directory: string, record: CertificateRecord): Promise<boolean> {
  const contents = contentsOf(record);
  try {
    for (const [name] of PEM_FILES) {
      const held = await readFile(join(directory, name), 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' && contents[name] === undefined) return undefined;
        throw error;
      });
      if (held !== contents[name]) return false;
    }
    return true;
  } catch {
    return false;
  }
}
