import { readdir, readlink, rm, symlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { allCertificates, certificateDirectoryName, FileLocks, type Store } from '@certkeeper/store';
import { type LiveCandidate, liveNames } from './live-names.js';
import { PEM_FILE_NAMES, switchVersion } from './write-output.js';

const LIVE = 'live';
/** From `live/<name>/.versions/<version>/` up to the store directory. */
const UP_TO_STORE = join('..', '..', '..', '..');

/**
 * The store's human paths: `<store>/live/<primary name>/{fullchain,privkey,cert,chain}.pem`, links to the
 * certificate's files at `<store>/certificates/<key's directory>/`. That directory is itself a link the store
 * switches atomically on every renewal, so a renewal needs nothing here; when a name moves to another certificate
 * (a grown name set, a second CA), the four links switch at once through `current` like an output directory's
 * ({@link switchVersion}: one mechanism). Links are relative, so a moved store keeps working.
 */
export function livePath(storeDirectory: string, name: string): string {
  return join(storeDirectory, LIVE, name);
}

/**
 * The certificate directory name each complete `live/<name>` points at, by name. Complete: its `current` version
 * links to one certificate directory and the four stable names point through `current` — a kill inside a switch
 * can leave less, which then counts as not linked, and the next run switches it again.
 */
export async function readLiveLinks(storeDirectory: string): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const name of await liveEntries(storeDirectory)) {
    const directory = join(storeDirectory, LIVE, name);
    const targets = await Promise.all(
      PEM_FILE_NAMES.map(async (file) => ({
        stable: await readlink(join(directory, file)).catch(() => undefined),
        version: await readlink(join(directory, 'current', file)).catch(() => undefined),
        file,
      })),
    );
    const certificates = new Set(targets.map(({ version }) => version?.split('/').at(-2)));
    const complete = targets.every(
      ({ stable, version, file }) => stable === join('current', file) && version?.endsWith(`/${file}`),
    );
    const [certificate] = certificates;
    if (complete && certificates.size === 1 && certificate) links.set(name, certificate);
  }
  return links;
}

/** Every name in `live/`, complete or not. */
export function liveEntries(storeDirectory: string): Promise<string[]> {
  return readdir(join(storeDirectory, LIVE)).catch(() => [] as string[]);
}

/** Which `live/` name shows which stored certificate now, by certificate key (as on disk: only links that exist). */
export async function liveNamesOnDisk(
  storeDirectory: string,
  keys: Iterable<string>,
): Promise<Map<string, string>> {
  const byDirectory = new Map<string, string>();
  for (const [name, directory] of await readLiveLinks(storeDirectory)) byDirectory.set(directory, name);
  const names = new Map<string, string>();
  for (const key of keys) {
    const name = byDirectory.get(certificateDirectoryName(key));
    if (name) names.set(key, name);
  }
  return names;
}

/**
 * Point every stored certificate's `live/<name>` at it ({@link liveNames} chooses the names), switching only the
 * names that point elsewhere or nowhere. Under the store's `live` lock: a daemon and a cron `renew` take turns.
 * Returns the number of names switched.
 */
export async function linkLiveNames(storeDirectory: string, store: Store): Promise<number> {
  const locks = new FileLocks(join(storeDirectory, 'locks'));
  return locks.withLock('live', async () => {
    const candidates: LiveCandidate[] = [];
    for await (const record of allCertificates(store)) candidates.push(record);
    const links = await readLiveLinks(storeDirectory);
    const keyOfDirectory = new Map(candidates.map((c) => [certificateDirectoryName(c.key), c.key]));
    const owners = new Map<string, string>();
    for (const [name, directory] of links) {
      const key = keyOfDirectory.get(directory);
      if (key) owners.set(name, key);
    }
    let switched = 0;
    const names = liveNames(candidates, owners);
    // A name whose certificate is gone (forgotten): its links lead nowhere, so the name goes too.
    const assigned = new Set(names.values());
    // So does a name left incomplete by a kill that nobody is assigned any more.
    for (const name of await liveEntries(storeDirectory)) {
      const directory = links.get(name);
      const orphan = directory === undefined || !keyOfDirectory.has(directory);
      if (!assigned.has(name) && orphan)
        await rm(livePath(storeDirectory, name), { recursive: true, force: true });
    }
    for (const [key, name] of names) {
      const directory = certificateDirectoryName(key);
      if (links.get(name) === directory) continue;
      const store = relative(storeDirectory, join(storeDirectory, 'certificates', directory));
      await switchVersion(livePath(storeDirectory, name), directory.slice(-16), async (target) => {
        for (const file of PEM_FILE_NAMES) await symlink(join(UP_TO_STORE, store, file), join(target, file));
      });
      switched++;
    }
    return switched;
  });
}
