import { CertkeeperError, ErrorCodes, processSecretRedactor, type SecretRedactor } from '@certkeeper/core';

export interface ExecOptions {
  /** The program to run, like lego's `EXEC_PATH`. An absolute path is best; a bare name is looked up in `PATH`. */
  readonly program: string;
  /** Arguments placed before the action, e.g. `program: 'node', programArgs: ['dns-hook.js']`. Default none. */
  readonly programArgs?: readonly string[];
  /**
   * Append the TTL to `present` as a fourth argument (`present <fqdn> <value> <ttl>`, lego's original
   * convention; scripts written for today's lego read three arguments and ignore it). Default true.
   */
  readonly ttlArgument?: boolean;
  /**
   * Whether the program also answers `list <zone.> [<fqdn.>]` by printing `<fqdn.> <ttl> <value>` lines (a
   * certkeeper extension; lego has no list action). Without it `listRecords` cannot work. Default false.
   */
  readonly list?: boolean;
  /** Time limit per run; the program gets SIGTERM, then SIGKILL after `killGraceMs`. Default 60 000 ms. */
  readonly timeoutMs?: number;
  /** Default 5000 ms. */
  readonly killGraceMs?: number;
  /** Extra environment variables for the program (credentials for its DNS API, say). */
  readonly env?: Readonly<Record<string, string>>;
  /** Pass this process's environment on, as lego does. Default true; false gives only `PATH` plus `env`. */
  readonly inheritEnv?: boolean;
  readonly cwd?: string;
  /** How many bytes of the end of stderr an error carries. Default 2048. */
  readonly stderrLimit?: number;
  /** How many runs may overlap. Default 1: lego runs exec hooks one at a time, and many scripts rely on it. */
  readonly concurrency?: number;
  /**
   * Where this provider registers its secrets at construction, so every sink scrubs them from what a DNS API
   * echoes back. Default: the process's (`processSecretRedactor()`).
   */
  readonly redactor?: SecretRedactor;
}

export interface ResolvedOptions {
  readonly program: string;
  readonly programArgs: readonly string[];
  readonly ttlArgument: boolean;
  readonly list: boolean;
  readonly timeoutMs: number;
  readonly killGraceMs: number;
  readonly env: Readonly<Record<string, string>>;
  readonly inheritEnv: boolean;
  readonly cwd: string | undefined;
  readonly stderrLimit: number;
  readonly concurrency: number;
  readonly redactor: SecretRedactor;
}

/** @throws CertkeeperError INVALID_OPTION naming the option. */
export function resolveOptions(options: ExecOptions): ResolvedOptions {
  if (typeof options.program !== 'string' || options.program.trim() === '') invalid('program', 'is empty');
  const positive = (name: string, value: number | undefined, fallback: number) => {
    const resolved = value ?? fallback;
    if (!Number.isInteger(resolved) || resolved <= 0) invalid(name, 'must be a positive whole number');
    return resolved;
  };
  const programArgs = options.programArgs ?? [];
  if (!Array.isArray(programArgs) || programArgs.some((arg) => typeof arg !== 'string')) {
    invalid('programArgs', 'must be an array of strings');
  }
  return {
    program: options.program,
    programArgs,
    ttlArgument: options.ttlArgument ?? true,
    list: options.list ?? false,
    timeoutMs: positive('timeoutMs', options.timeoutMs, 60_000),
    killGraceMs: positive('killGraceMs', options.killGraceMs, 5000),
    env: options.env ?? {},
    inheritEnv: options.inheritEnv ?? true,
    cwd: options.cwd,
    stderrLimit: positive('stderrLimit', options.stderrLimit, 2048),
    concurrency: positive('concurrency', options.concurrency, 1),
    redactor: options.redactor ?? processSecretRedactor(),
  };
}

function invalid(option: string, problem: string): never {
  throw new CertkeeperError(ErrorCodes.INVALID_OPTION, `exec option ${option} ${problem}.`, {
    hint: 'See the README of @certkeeper/dns-exec for every option.',
  });
}
