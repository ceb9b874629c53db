/** The commands that order or renew certificates: one-off processes where peak RSS is the figure that counts. */
const ORDERING_COMMANDS = new Set(['issue', 'renew']);

/**
 * Node's built-in modules an `issue` or `renew` loads (issue 13, S1 of `pnpm bench:peers`; a `renew` that finds
 * everything fresh loads all but perf_hooks, dns and cluster), loaded here before the flags are changed: see
 * tuneV8ForOneOffOrder.
 */
const BUILTINS = [
  'os',
  'string_decoder',
  'stream',
  'stream/promises',
  'net',
  'child_process',
  'worker_threads',
  'crypto',
  'fs/promises',
  'readline/promises',
  'http',
  'tls',
  'https',
  'perf_hooks',
  'dns',
  'cluster',
];

/**
 * True when the process was started with a young-generation size of its own (`--max-semi-space-size` or
 * `--min-semi-space-size` on Node's command line or in NODE_OPTIONS, as the shipped systemd unit sets it): then
 * that setting is left to decide alone.
 */
export function youngGenerationChosen(execArgv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return [...execArgv, env.NODE_OPTIONS ?? ''].some((arg) => /semi[-_]space/.test(arg));
}

/** Whether the command line names a command that orders certificates (a guess from the words alone). */
export function ordersCertificates(argv: readonly string[]): boolean {
  return argv.slice(2).some((arg) => ORDERING_COMMANDS.has(arg));
}

/**
 * V8 flags for `issue` and `renew`, one-off processes where peak RSS and start-up are the figures that count
 * (issue 13, S1 of `pnpm bench:peers`).
 *
 * `--semi-space-growth-factor=1` keeps V8's young generation at its initial size (two 1 MB semi-spaces) instead of
 * letting it double up to 2 × 16 MB. Start-up survives most of what it allocates — module code and tables that live
 * as long as the process — so V8 reads the high survival rate as a busy program and grows the young generation,
 * which then holds little but costs its size in RSS (S1 96 → 88 MB peak RSS, a `renew` issuing 20 certificates
 * 125 → 101 MB; more, cheaper scavenges: 28 instead of 6 in S1). The growth factor is the one young-generation
 * setting V8 reads each time it grows the space (`SemiSpaceNewSpace::Grow` reads
 * `v8_flags.semi_space_growth_factor`), so it can be set from inside the process; `--max-semi-space-size` is read
 * only when the heap is set up, and on the command line V8 raises factors below 2 to 2. Left out when the process
 * was given a young-generation size of its own (`NODE_OPTIONS`, as the shipped systemd unit sets it).
 *
 * `--no-maglev --no-turbofan` keep V8 to its interpreter and baseline compiler. A process that lives a second or
 * two does not run any function long enough to earn back an optimising compile, and the optimising compilers'
 * code and zones cost RSS when they run: S1 82 → 75 MB peak RSS, a `renew` issuing 10 certificates 85.5 → 76.5 MB,
 * with the same CPU time (medians of 4–5 runs; the daemon, `run`, keeps them). A long run gets them back once it has
 * used {@link OPTIMIZE_AFTER_CPU_MS} of CPU (V8 reads both flags each time it considers optimizing a function):
 * without them a `renew` issuing 100 certificates took 12 % more CPU, one issuing 20 took 5 % less.
 *
 * A changed flag changes V8's flag hash, against which code caches are checked: Node's built-in modules loaded
 * afterwards no longer match their embedded code cache and are compiled from source (S1's built-ins: ≈ 20 ms of
 * CPU with the cache, ≈ 50 ms without). So the built-ins these commands use are loaded first, with their cache; a
 * built-in loaded later is only slower. Our own modules' compile cache is kept per flag hash by Node (its directory
 * name), so it stays valid. Other commands and `--help` are left alone. The growth factor was checked on Node 22,
 * 24 and 26, the compiler flags only on Node 24 (V8 13.6; both names exist since V8 11, Node 22 has 12.4); a V8
 * without a flag prints "unrecognized flag" on stderr and carries on, which the CLI tests would show.
 */
export function tuneV8ForOneOffOrder(
  argv: readonly string[] = process.argv,
  execArgv: readonly string[] = process.execArgv,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (!ordersCertificates(argv)) return;
  const flags = oneOffFlags(execArgv, env);
  if (flags.length === 0) return;
  for (const name of BUILTINS) process.getBuiltinModule(`node:${name}`);
  // getBuiltinModule, not an ES import: bin.ts's static imports are evaluated before its first statement.
  const v8 = process.getBuiltinModule('node:v8');
  v8.setFlagsFromString(flags.join(' '));
  if (flags.includes('--no-turbofan')) optimizeWhenLong(v8);
}

/** Process CPU time (user + system) after which a one-off order gets V8's optimising compilers back. */
export const OPTIMIZE_AFTER_CPU_MS = 3000;

/**
 * Switch V8's optimising compilers back on once the process has used {@link OPTIMIZE_AFTER_CPU_MS} of CPU: a run
 * over hundreds of certificates, or a sweep of a large store, is long enough to earn their compiles back.
 */
export function optimizeWhenLong(
  v8: Pick<typeof import('node:v8'), 'setFlagsFromString'>,
  cpuUsage: () => NodeJS.CpuUsage = () => process.cpuUsage(),
  checkEveryMs = 250,
): void {
  const check = setInterval(() => {
    const used = cpuUsage();
    if ((used.user + used.system) / 1000 < OPTIMIZE_AFTER_CPU_MS) return;
    for (const flag of ['--maglev', '--turbofan']) v8.setFlagsFromString(flag);
    clearInterval(check);
  }, checkEveryMs);
  check.unref(); // never what keeps the process alive
}

/** The flags {@link tuneV8ForOneOffOrder} sets: see there. */
export function oneOffFlags(execArgv: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const given = [...execArgv, env.NODE_OPTIONS ?? ''];
  return [
    ...(youngGenerationChosen(execArgv, env) ? [] : ['--semi-space-growth-factor=1']),
    // A process started with compiler flags of its own (`--turbofan`, `--jitless`, …) keeps them.
    ...(given.some((arg) => /maglev|turbofan|jitless|[-_]opt\b/.test(arg))
      ? []
      : ['--no-maglev', '--no-turbofan']),
  ];
}
