import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CertkeeperError } from '@certkeeper/core';
import { harnessError } from '../harness-error.js';
import { findExecutable } from '../process/find-executable.js';

/**
 * Where scripts/setup.sh unpacks Debian forky's pebble package: Pebble 2.10, beside (never over) Debian 12's 2.4,
 * which speaks neither ARI nor profiles and accepts requests without a User-Agent. Override with
 * `CERTKEEPER_PEBBLE_DIR`, a directory holding `pebble` and `pebble-challtestsrv`.
 */
export const DEFAULT_PEBBLE_DIR = '/usr/local/lib/certkeeper-pebble/current/usr/bin';

/** The oldest Pebble whose behaviour the tests rely on (ARI, profiles, `invalidProfile`, required User-Agent). */
const MINIMUM = [2, 10] as const;

export interface PebbleBinaries {
  readonly pebble: string;
  readonly challtestsrv: string;
  /** e.g. `2.10.0+ds1-2` (Debian's package version when the binary says only "dev"). */
  readonly version: string;
}

const found = new Map<string, PebbleBinaries>();

/**
 * The Pebble the harness runs: `$CERTKEEPER_PEBBLE_DIR` or {@link DEFAULT_PEBBLE_DIR}, checked to be 2.10 or newer.
 * Throws a `CERTKEEPER_ERR_TEST_HARNESS` error saying to run scripts/setup.sh when it is missing or too old.
 */
export function pebbleBinaries(): PebbleBinaries {
  const dir = process.env.CERTKEEPER_PEBBLE_DIR || DEFAULT_PEBBLE_DIR;
  const known = found.get(dir);
  if (known) return known;
  const pebble = findExecutable(join(dir, 'pebble'));
  const challtestsrv = findExecutable(join(dir, 'pebble-challtestsrv'));
  if (!pebble || !challtestsrv) {
    throw missing(`Pebble 2.10 is not installed: ${dir} holds no executable pebble and pebble-challtestsrv.`);
  }
  const version = pebbleVersion(pebble);
  const [major = 0, minor = 0] = version.split(/[.+-]/).map(Number);
  if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
    throw missing(`The Pebble in ${dir} is ${version}; the tests need ${MINIMUM.join('.')} or newer.`);
  }
  const binaries = { pebble, challtestsrv, version };
  found.set(dir, binaries);
  return binaries;
}

/**
 * `pebble -version`, or for a build that only says "dev" (Debian's), the version at the top of the package's
 * changelog next to the binary (`<prefix>/share/doc/pebble/changelog.Debian.gz`).
 */
function pebbleVersion(pebble: string): string {
  const said = execFileSync(pebble, ['-version'], { encoding: 'utf8', timeout: 5_000 }).trim();
  const version = /Pebble version: (\S+)/.exec(said)?.[1];
  if (version && version !== 'dev') return version.replace(/^v/, '');
  try {
    const changelog = join(dirname(dirname(pebble)), 'share/doc/pebble/changelog.Debian.gz');
    const first = gunzipSync(readFileSync(changelog)).toString('utf8').split('\n')[0] ?? '';
    const debian = /^pebble \(([^)]+)\)/.exec(first)?.[1];
    if (debian) return debian;
  } catch {
    // No Debian changelog: fall through.
  }
  return version ?? 'unknown';
}

function missing(message: string): CertkeeperError {
  return harnessError(
    message,
    'run scripts/setup.sh, which unpacks Debian forky’s pebble 2.10 into /usr/local/lib/certkeeper-pebble, or set CERTKEEPER_PEBBLE_DIR to a directory holding pebble and pebble-challtestsrv 2.10.',
  );
}
