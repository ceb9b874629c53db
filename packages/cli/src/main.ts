import { CommanderError } from 'commander';
import { ExitCode, type ExitCodeValue, INPUT_ERROR_CODES } from './exit-codes.js';
import { buildProgram } from './program.js';
import type { GlobalFlags } from './settings/global-flags.js';

/** Run the CLI; resolves to the exit code. Every error is printed once, with its code and what to do next. */
export async function main(argv: readonly string[] = process.argv): Promise<ExitCodeValue> {
  const result: { code: ExitCodeValue } = { code: ExitCode.OK };
  const program = buildProgram(result);
  try {
    await program.parseAsync([...argv]);
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version print and exit 0; every other parse error was printed by commander already (and, for
      // programs reading --json, is repeated as a JSON line).
      if (error.exitCode === 0) return ExitCode.OK;
      if (argv.includes('--json'))
        process.stdout.write(
          `${JSON.stringify({ event: 'error', code: error.code, message: error.message })}\n`,
        );
      return ExitCode.USAGE;
    }
    const json = (program.opts() as GlobalFlags).json === true || argv.includes('--json');
    // @certkeeper/core (jose, undici: ~0.1–0.2 s to load) only here: `--help`, `--version` and usage errors
    // never need it, and every command that does has loaded it already.
    const core = await import('@certkeeper/core');
    const { CertkeeperError } = core;
    printError(error, json, core);
    return CertkeeperError.isInstance(error) && INPUT_ERROR_CODES.has(error.code)
      ? ExitCode.USAGE
      : ExitCode.FAILED;
  }
}

type Core = Pick<typeof import('@certkeeper/core'), 'CertkeeperError' | 'processSecretRedactor'>;

/** Prints the error once; its text is scrubbed of every secret the process resolved (a provider may echo one). */
function printError(error: unknown, json: boolean, core: Core): void {
  const { CertkeeperError, processSecretRedactor } = core;
  const redactor = processSecretRedactor();
  const code = CertkeeperError.isInstance(error) ? error.code : undefined;
  const message = redactor.redact(error instanceof Error ? error.message : String(error));
  if (json) {
    process.stdout.write(`${JSON.stringify({ event: 'error', ...(code ? { code } : {}), message })}\n`);
    return;
  }
  process.stderr.write(
    code
      ? `certkeeper: ${message}\n(${code})\n`
      : `certkeeper: unexpected error: ${redactor.redact(error instanceof Error ? (error.stack ?? message) : message)}\n`,
  );
}
