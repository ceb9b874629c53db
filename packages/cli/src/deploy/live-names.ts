import { CA_DIRECTORIES } from '../config/ca-directories.js';

/** What choosing a certificate's `live/` name needs to know of it. */
export interface LiveCandidate {
  readonly key: string;
  readonly directoryUrl: string;
  readonly accountUrl: string;
  readonly identifiers: readonly { readonly value: string }[];
  readonly notBefore: string;
}

/**
 * The `live/<name>` each stored certificate is reachable at, by certificate key: its primary (first) name, like
 * certbot's `live/example.com`. Of several certificates of one CA and account with the same primary name (the set
 * grew from `example.com` to `example.com, www.example.com`), the newest issued holds it; the others get none.
 * Only when two CAs or accounts hold the same primary name is it disambiguated, `example.com~letsencrypt-staging`
 * (the CA) or `example.com~<account id>` (two accounts at one CA) — and the one `live/example.com` already points
 * at (`owners`, from the links on disk) keeps the plain name, so a web server's configuration never moves.
 */
export function liveNames(
  candidates: readonly LiveCandidate[],
  owners: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  // primary name → (CA + account) → the newest certificate of that group
  const byPrimary = new Map<string, Map<string, LiveCandidate>>();
  for (const candidate of candidates) {
    const primary = candidate.identifiers[0]?.value;
    if (!primary) continue;
    const name = liveBaseName(primary);
    const groups = byPrimary.get(name) ?? new Map<string, LiveCandidate>();
    byPrimary.set(name, groups);
    const group = `${candidate.directoryUrl}|${candidate.accountUrl}`;
    const previous = groups.get(group);
    if (!previous || Date.parse(candidate.notBefore) > Date.parse(previous.notBefore))
      groups.set(group, candidate);
  }
  const names = new Map<string, string>();
  for (const [name, groups] of byPrimary) {
    const holders = [...groups.values()];
    if (holders.length === 1) {
      names.set(holders[0]!.key, name);
      continue;
    }
    const ownerKey = owners.get(name);
    const owner =
      holders.find((holder) => holder.key === ownerKey) ??
      // Nobody holds the plain name yet: the longest-standing group takes it.
      [...holders].sort((a, b) => Date.parse(a.notBefore) - Date.parse(b.notBefore))[0]!;
    const cas = new Set(holders.map((holder) => holder.directoryUrl));
    for (const holder of holders) {
      if (holder === owner) {
        names.set(holder.key, name);
        continue;
      }
      const sameCa = holders.filter((other) => other.directoryUrl === holder.directoryUrl).length > 1;
      const parts = [
        ...(cas.size > 1 ? [caLabel(holder.directoryUrl)] : []),
        ...(sameCa ? [accountLabel(holder.accountUrl)] : []),
      ];
      names.set(holder.key, `${name}~${parts.join('~')}`);
    }
  }
  return names;
}

/** `example.com`, `_.example.com` for `*.example.com` (lego's spelling), anything unsafe in a file name as `_`. */
export function liveBaseName(primary: string): string {
  return primary
    .toLowerCase()
    .replace(/^\*\./, '_.')
    .replace(/[^a-z0-9._-]/g, '_')
    .replace(/^\.+/, '_');
}

/** The CA's alias (`letsencrypt-staging`), else its directory's host and port (`127.0.0.1_14000`). */
function caLabel(directoryUrl: string): string {
  const alias = Object.entries(CA_DIRECTORIES).find(([, url]) => url === directoryUrl)?.[0];
  if (alias) return alias;
  try {
    return liveBaseName(new URL(directoryUrl).host);
  } catch {
    return liveBaseName(directoryUrl);
  }
}

/** The account URL's last path segment: the CA's id of the account. */
function accountLabel(accountUrl: string): string {
  return liveBaseName(accountUrl.split('/').filter(Boolean).at(-1) ?? 'account');
}
