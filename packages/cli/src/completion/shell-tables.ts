import { allCommands, type CommandModel, flagsAt, type ValueKind } from './command-model.js';

/**
 * The lookup functions the bash and zsh scripts share (both run POSIX `case`): subcommands of a path, flags at a
 * path, what a flag's value and each positional argument complete to. Paths are the subcommand words joined by
 * spaces, '' for the program.
 */
export function shellTables(root: CommandModel, prefix: string): string {
  const commands = allCommands(root);
  // Deepest first: `case` takes the first match, and a subcommand's own flag wins over an ancestor's.
  const deepestFirst = [...commands].sort((a, b) => b.path.length - a.path.length);
  const lines: string[] = [];

  lines.push(`${prefix}_subcommands() {`, '  case "$1" in');
  for (const command of commands)
    if (command.commands.length > 0)
      lines.push(`    ${sq(key(command))}) echo ${sq(command.commands.map((c) => c.name).join(' '))} ;;`);
  lines.push('  esac', '}', '');

  lines.push(`${prefix}_flags() {`, '  case "$1" in');
  for (const command of commands) {
    const names = flagsAt(root, command.path).flatMap((f) => [f.long, f.short].filter(isString));
    lines.push(`    ${sq(key(command))}) echo ${sq(names.join(' '))} ;;`);
  }
  lines.push('  esac', '}', '');

  lines.push(
    '# What the value of flag $2 at path $1 completes to: "words …", "file", "dir" or "any"; nothing for a switch.',
    `${prefix}_flag_value() {`,
    '  case "$1|$2" in',
  );
  for (const command of deepestFirst) {
    const scope = key(command);
    for (const flag of command.flags) {
      if (!flag.value) continue;
      const patterns = [flag.long, flag.short]
        .filter(isString)
        .flatMap((name) =>
          scope === ''
            ? [`*${sq(`|${name}`)}`]
            : [sq(`${scope}|${name}`), `${sq(`${scope} `)}*${sq(`|${name}`)}`],
        );
      lines.push(`    ${patterns.join('|')}) echo ${sq(kindWord(flag.value))} ;;`);
    }
  }
  lines.push('  esac', '}', '');

  lines.push(
    '# What positional argument $2 (from 0) at path $1 completes to.',
    `${prefix}_argument() {`,
    '  case "$1|$2" in',
  );
  for (const command of commands) {
    command.arguments.forEach((argument, index) => {
      const last = index === command.arguments.length - 1;
      const pattern =
        last && argument.variadic ? `${sq(`${key(command)}|`)}*` : sq(`${key(command)}|${index}`);
      lines.push(`    ${pattern}) echo ${sq(kindWord(argument.value))} ;;`);
    });
  }
  lines.push('  esac', '}', '');
  return lines.join('\n');
}

export function key(command: CommandModel): string {
  return command.path.join(' ');
}

export function kindWord(kind: ValueKind): string {
  switch (kind.type) {
    case 'words':
      return `words ${kind.words.join(' ')}`;
    case 'file':
      return 'file';
    case 'directory':
      return 'dir';
    case 'any':
      return 'any';
  }
}

/** Single-quoted for sh, bash and zsh: nothing inside is special except the quote itself. */
export function sq(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}
