import { type Command, Help, type Option } from 'commander';
import { CA_DIRECTORIES } from '../config/ca-directories.js';

/** What a flag's value or an argument completes to: fixed words, a file, a directory, or anything (no help). */
export type ValueKind =
  | { readonly type: 'words'; readonly words: readonly string[]; readonly exclusive: boolean }
  | { readonly type: 'file' }
  | { readonly type: 'directory' }
  | { readonly type: 'any' };

export interface FlagModel {
  readonly long?: string;
  readonly short?: string;
  /** The flag as help shows it, e.g. `-c, --config <file>`. */
  readonly flags: string;
  readonly description: string;
  /** Undefined for a switch that takes no value. */
  readonly value?: ValueKind;
  /** Shown as `<file>`/`[file]` in help; undefined for a switch. */
  readonly placeholder?: string;
}

export interface ArgumentModel {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly variadic: boolean;
  readonly value: ValueKind;
}

export interface CommandModel {
  /** Words from the program to this command: [] for the program, ['account', 'register'] for a subcommand. */
  readonly path: readonly string[];
  readonly name: string;
  readonly description: string;
  readonly usage: string;
  /** This command's own flags (help included); the flags of its ancestors also apply (commander's global options). */
  readonly flags: readonly FlagModel[];
  readonly arguments: readonly ArgumentModel[];
  readonly commands: readonly CommandModel[];
}

/**
 * Words worth suggesting for flags that also accept free values, so no fixed choice list can be declared on them:
 * `--ca` takes an alias or a directory URL.
 */
const SUGGESTIONS: Readonly<Record<string, readonly string[]>> = {
  '--ca': Object.keys(CA_DIRECTORIES),
};

/**
 * The commander program as plain data, for the completion scripts and the man page: both are generated from the
 * definitions in program.ts, so a new command or flag appears in them without anyone remembering to add it.
 */
export function commandModel(command: Command, path: readonly string[] = []): CommandModel {
  const help = new Help();
  const visible = help.visibleCommands(command);
  const siblings = visible.map((sub) => sub.name()).filter((name) => name !== 'help');
  // commander's implicit `help [command]` is a placeholder built on demand; its argument is one of its siblings.
  const subcommands = visible.map((sub) => {
    const model = commandModel(sub, [...path, sub.name()]);
    if (sub.name() !== 'help' || model.arguments.length !== 1) return model;
    const words: ValueKind = { type: 'words', words: siblings, exclusive: true };
    return { ...model, arguments: [{ ...model.arguments[0]!, value: words }] };
  });
  return {
    path,
    name: command.name(),
    description: command.description(),
    usage: command.usage(),
    flags: help.visibleOptions(command).map(flagModel),
    arguments: command.registeredArguments.map((argument) => ({
      name: argument.name(),
      description: argument.description,
      required: argument.required,
      variadic: argument.variadic,
      value: argument.argChoices
        ? { type: 'words', words: argument.argChoices, exclusive: true }
        : kindOfPlaceholder(argument.name()),
    })),
    commands: subcommands,
  };
}

function flagModel(option: Option): FlagModel {
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1]?.replace(/\.\.\.$/, '');
  const takesValue = option.required || option.optional;
  const suggested = option.long ? SUGGESTIONS[option.long] : undefined;
  const value: ValueKind | undefined = !takesValue
    ? undefined
    : option.argChoices
      ? { type: 'words', words: option.argChoices, exclusive: true }
      : suggested
        ? { type: 'words', words: suggested, exclusive: false }
        : kindOfPlaceholder(placeholder ?? '');
  return {
    ...(option.long ? { long: option.long } : {}),
    ...(option.short ? { short: option.short } : {}),
    flags: option.flags,
    description: option.description,
    ...(value ? { value } : {}),
    ...(placeholder ? { placeholder } : {}),
  };
}

/** The placeholder names program.ts uses for paths: `<file>`, `<dir>`. */
function kindOfPlaceholder(placeholder: string): ValueKind {
  if (placeholder === 'file') return { type: 'file' };
  if (placeholder === 'dir') return { type: 'directory' };
  return { type: 'any' };
}

/** Every command of the tree, the program first, depth first in definition order. */
export function allCommands(model: CommandModel): CommandModel[] {
  return [model, ...model.commands.flatMap(allCommands)];
}

/** The flags that apply at a command: its own and its ancestors' (commander accepts program flags anywhere). */
export function flagsAt(root: CommandModel, path: readonly string[]): FlagModel[] {
  const flags: FlagModel[] = [];
  let at: CommandModel | undefined = root;
  for (let depth = 0; at; depth++) {
    for (const flag of at.flags)
      if (!flags.some((known) => known.long === flag.long && known.short === flag.short)) flags.push(flag);
    const word = path[depth];
    at = word === undefined ? undefined : at.commands.find((sub) => sub.name === word);
  }
  return flags;
}
