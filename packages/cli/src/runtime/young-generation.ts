/**
 * True when the process was started with a young-generation size of its own (`--max-semi-space-size` or
 * `--min-semi-space-size` on Node's command line or in NODE_OPTIONS, as the shipped systemd unit sets it): then
 * that setting is left to decide alone.
 */
export function youngGenerationChosen(execArgv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return [...execArgv, env.NODE_OPTIONS ?? ''].some((arg) => /semi[-_]space/.test(arg));
}

/**
 * Keep V8's young generation at its initial size (two 1 MB semi-spaces) instead of letting it double up to 2 × 16
 * MB. Start-up survives most of what it allocates — module code and tables that live as long as the process — so V8
 * reads the high survival rate as a busy program and grows the young generation, which then holds little but costs
 * its size in RSS. Kept small, the same survivors are promoted a little earlier, in more and cheaper scavenges
 * (issue 13, medians on the 2-core machine: S1 of `pnpm bench:peers` 98 → 89 MB peak RSS, 28 scavenges instead of
 * 6; a `renew` issuing 20 certificates 125 → 101 MB, 155 scavenges instead of 19; the daemon with 1,000 certificates
 * 167 → 133–156 MB after its first sweep; CPU time the same within the machine's noise in all three).
 *
 * The growth factor is the one young-generation setting V8 reads each time it grows the space
 * (`SemiSpaceNewSpace::Grow` reads `v8_flags.semi_space_growth_factor`), so it can be set from inside the process;
 * `--max-semi-space-size` is read only when the heap is set up. On the command line V8 raises factors below 2 to 2
 * (a minimum-value implication, applied when flags are parsed at start-up), so this cannot be an option in the
 * shebang either. V8 calls flag changes after start unsupported in general; this one is read only where it is used,
 * and Node's compile cache still accepts its entries (V8's flag hash, which code caches are checked against, was
 * taken before; seen with NODE_DEBUG_NATIVE=COMPILE_CACHE). It is first thing in dist/cli.js, before any module of
 * ours allocates. A process started with a
 * young-generation size of its own keeps it (see youngGenerationChosen). Checked on Node 22, 24 and 26; a V8
 * without the flag would print "unrecognized flag" on stderr at every start, which the CLI tests would show.
 */
export function keepYoungGenerationSmall(
  execArgv: readonly string[] = process.execArgv,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (youngGenerationChosen(execArgv, env)) return;
  // getBuiltinModule, not an ES import: bin.ts's static imports are evaluated before its first statement.
  process.getBuiltinModule('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
}
