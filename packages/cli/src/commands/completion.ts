import type { Command } from 'commander';
import { bashCompletion } from '../completion/bash.js';
import { commandModel } from '../completion/command-model.js';
import { fishCompletion } from '../completion/fish.js';
import { zshCompletion } from '../completion/zsh.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/**
 * `certkeeper completion bash|zsh|fish`: the completion script for the program it is given (the one the user runs),
 * so it lists exactly the commands and flags this version has. Needs no config or store.
 */
export function completionCommand(
  program: Command,
  shell: CompletionShell,
  write: (text: string) => void,
): ExitCodeValue {
  const model = commandModel(program);
  const generate = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion }[shell];
  write(generate(model));
  return ExitCode.OK;
}
