import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { parse } from 'shell-quote';

/**
 * A hook given on the command line (`--deploy-hook "sh -c 'echo hi >> x'"`) as a program and its arguments, split
 * the way a POSIX shell splits words — quotes and backslashes honoured — but never run by a shell: `$VAR` stays as
 * written, and an operator (`|`, `&&`, `;`, `>`) or a glob is refused with what to write instead.
 */
export function parseHookCommand(text: string, flag: string): string[] {
  const words = parse(text, (name) => `$${name}`);
  const argv: string[] = [];
  for (const word of words) {
    if (typeof word === 'string') {
      argv.push(word);
      continue;
    }
    const shown = 'op' in word ? (word.op === 'glob' ? (word as { pattern: string }).pattern : word.op) : '#';
    throw new CertkeeperError(
      ErrorCodes.CONFIG_INVALID,
      `${flag} ${JSON.stringify(text)}: \`${shown}\` needs a shell, and hooks run without one (the program and its arguments are split like a shell would, and run directly).`,
      { hint: `wrap it in a shell yourself: ${flag} "sh -c '${text.replace(/'/g, `'\\''`)}'"` },
    );
  }
  if (argv.length === 0)
    throw new CertkeeperError(ErrorCodes.CONFIG_INVALID, `${flag} is empty.`, {
      hint: `give a program and its arguments, e.g. ${flag} "systemctl reload nginx".`,
    });
  return argv;
}
