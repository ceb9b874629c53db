import { randomBytes } from 'node:crypto';
import { plainHost, processIdentity, processState, unknown } from './process-identity.js';

const prefix = 'certkeeper:1';

interface ParsedHolder {
  readonly host: string;
  readonly bootId: string;
  readonly pidNamespace: string;
  readonly pid: number;
  readonly startTime: string;
  readonly description?: string;
}

/**
 * A lease holder id for this process that says who it is, so a lease (or a store lock) left by a process that
 * died can be proven abandoned, and a waiting run can say who holds a certificate:
 *
 *     certkeeper:1:<host>:<boot id>:<pid namespace>:<pid>:<start time>:<random>[:<description>]
 *
 * ASCII only, nothing secret. `description` (e.g. "certkeeper renew") is kept to 80 printable characters;
 * `host` defaults to this machine's name (tests pass another to stand for a second machine).
 */
export function leaseHolderId(options: { description?: string; host?: string } = {}): string {
  const self = processIdentity();
  const host = options.host === undefined ? self.host : plainHost(options.host);
  const description = (options.description ?? '')
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, 80);
  return [
    prefix,
    host,
    self.bootId,
    self.pidNamespace,
    self.pid,
    self.startTime,
    randomBytes(6).toString('hex'),
    ...(description ? [description] : []),
  ].join(':');
}

/**
 * "process 1234 on host-a (certkeeper renew)" for a holder id made by {@link leaseHolderId}; any other id as it
 * is (control and non-ASCII characters shown as `?`, since it may come from anyone sharing the store).
 */
export function describeLeaseHolder(holder: string): string {
  const parsed = parseLeaseHolder(holder);
  if (!parsed) return holder.replace(/[^\x20-\x7e]/g, '?');
  const what = `process ${parsed.pid} on ${parsed.host}`;
  return parsed.description ? `${what} (${parsed.description})` : what;
}

/**
 * Whether `holder` is provably dead: a holder id of ours, from this host, this boot and this pid namespace,
 * whose pid is gone or now belongs to a process started at another time (pid reuse). Anything else — another
 * host, another pid namespace (two containers sharing a volume), an id that is not ours, a system without
 * /proc — is not provable, and its lease runs to its expiry.
 */
export async function leaseHolderIsDead(holder: string): Promise<boolean> {
  const parsed = parseLeaseHolder(holder);
  if (!parsed) return false;
  const self = processIdentity();
  const comparable = [parsed.bootId, parsed.pidNamespace, parsed.startTime].every(
    (field) => field !== unknown,
  );
  if (
    !comparable ||
    parsed.host !== self.host ||
    parsed.bootId !== self.bootId ||
    parsed.pidNamespace !== self.pidNamespace
  )
    return false;
  const state = await processState(parsed.pid);
  if (state.gone) return true;
  return state.startTime !== unknown && state.startTime !== parsed.startTime;
}

function parseLeaseHolder(holder: string): ParsedHolder | undefined {
  const parts = holder.split(':');
  if (`${parts[0]}:${parts[1]}` !== prefix || parts.length < 8) return undefined;
  const [host, bootId, pidNamespace, pid, startTime] = parts.slice(2, 7) as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^\d+$/.test(pid) || Number(pid) <= 0) return undefined;
  const description = parts.slice(8).join(':');
  return { host, bootId, pidNamespace, pid: Number(pid), startTime, ...(description ? { description } : {}) };
}
