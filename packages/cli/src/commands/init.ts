import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { INIT_TEMPLATE } from '../config/init-template.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import type { CommandContext } from './context.js';

/** `certkeeper init [file]`: write the commented starting config (never over an existing file without --force). */
export async function initCommand(
  context: CommandContext,
  file: string | undefined,
  options: { force?: boolean; print?: boolean },
): Promise<ExitCodeValue> {
  if (options.print) {
    context.stdout.write(INIT_TEMPLATE);
    return ExitCode.OK;
  }
  const path = resolve(context.cwd, file ?? context.flags.config ?? 'certkeeper.yaml');
  try {
    await writeFile(path, INIT_TEMPLATE, { flag: options.force ? 'w' : 'wx', mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CertkeeperError(
      code === 'EEXIST' ? ErrorCodes.CONFIG_INVALID : ErrorCodes.OUTPUT_NOT_WRITABLE,
      code === 'EEXIST'
        ? `${path} already exists; it was left as it is.`
        : `${path} cannot be written (${code}).`,
      {
        hint:
          code === 'EEXIST'
            ? 'pass --force to overwrite it, or name another file.'
            : 'choose a writable path.',
      },
    );
  }
  context.print(
    `wrote ${path}: edit the CA, email and certificates, then run: certkeeper renew --config ${path}`,
    {
      event: 'init',
      file: path,
    },
  );
  return ExitCode.OK;
}
