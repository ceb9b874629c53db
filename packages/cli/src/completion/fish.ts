import { allCommands, type CommandModel, type FlagModel, type ValueKind } from './command-model.js';
import { key } from './shell-tables.js';

/**
 * The fish completion script: one `complete` line per subcommand, flag and argument, each guarded by the
 * subcommand path it applies to (found by `__certkeeper_path`, which skips the values of flags that take one).
 */
export function fishCompletion(root: CommandModel): string {
  const commands = allCommands(root);
  const valueFlags = new Set<string>();
  for (const command of commands)
    for (const flag of command.flags)
      if (flag.value) for (const name of [flag.long, flag.short]) if (name) valueFlags.add(name);

  const lines = [
    '# fish completion for certkeeper, generated from its command definitions by `certkeeper completion fish`.',
    '# Load it now:   certkeeper completion fish | source',
    '# Or for good:   certkeeper completion fish > ~/.config/fish/completions/certkeeper.fish',
    '',
    'complete -c certkeeper -f',
    '',
    'function __certkeeper_subcommands',
    '    switch "$argv[1]"',
  ];
  for (const command of commands)
    if (command.commands.length > 0)
      lines.push(
        `        case ${fq(key(command))}`,
        `            echo ${command.commands.map((sub) => fq(sub.name)).join(' ')}`,
      );
  lines.push(
    '    end',
    'end',
    '',
    '# Flags followed by a value: their value is not a subcommand.',
    'function __certkeeper_takes_value',
    `    contains -- $argv[1] ${[...valueFlags].map(fq).join(' ')}`,
    'end',
    '',
    '# The subcommand words typed so far, joined by spaces ("" for the program).',
    'function __certkeeper_path',
    '    set -l words (commandline -opc)',
    '    set -e words[1]',
    '    set -l path',
    '    set -l skip 0',
    '    for word in $words',
    '        if test $skip -eq 1',
    '            set skip 0',
    '            continue',
    '        end',
    "        if string match -q -- '-*' $word",
    "            if not string match -q -- '*=*' $word; and __certkeeper_takes_value $word",
    '                set skip 1',
    '            end',
    "        else if contains -- $word (string split ' ' -- (__certkeeper_subcommands (string join ' ' -- $path)))",
    '            set -a path $word',
    '        else',
    '            break',
    '        end',
    '    end',
    "    string join ' ' -- $path",
    'end',
    '',
    'function __certkeeper_at',
    '    set -l path (__certkeeper_path)',
    '    test "$path" = "$argv"',
    'end',
    '',
    "# At this command or below it (a command's flags are accepted after its subcommands too).",
    'function __certkeeper_under',
    '    set -l path (__certkeeper_path)',
    '    test "$path" = "$argv"; or string match -q -- "$argv *" "$path"',
    'end',
    '',
  );
  for (const command of commands) {
    const at = `__certkeeper_at ${key(command)}`.trimEnd();
    for (const sub of command.commands)
      lines.push(
        `complete -c certkeeper -n ${fq(at)} -a ${fq(sub.name)} -d ${fq(firstLine(sub.description))}`,
      );
    for (const flag of command.flags) {
      // commander gives every command its own --help; the program's line already offers it everywhere.
      if (command.path.length > 0 && root.flags.some((known) => known.long === flag.long)) continue;
      const guard = command.path.length === 0 ? '' : ` -n ${fq(`__certkeeper_under ${key(command)}`)}`;
      lines.push(`complete -c certkeeper${guard}${flagSpec(flag)} -d ${fq(firstLine(flag.description))}`);
    }
    command.arguments.forEach((argument, index) => {
      // fish cannot count positionals cheaply; the first argument's completion is offered for every one.
      if (index > 0) return;
      const spec = valueSpec(argument.value);
      if (spec) lines.push(`complete -c certkeeper -n ${fq(at)}${spec}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

function flagSpec(flag: FlagModel): string {
  const names = `${flag.short ? ` -s ${flag.short.slice(1)}` : ''}${flag.long ? ` -l ${flag.long.slice(2)}` : ''}`;
  return `${names}${flag.value ? (valueSpec(flag.value) ?? ' -r') : ''}`;
}

function valueSpec(kind: ValueKind): string | undefined {
  switch (kind.type) {
    case 'words':
      return ` ${kind.exclusive ? '-x' : '-r'}a ${fq(kind.words.join(' '))}`;
    case 'file':
      return ' -rF';
    case 'directory':
      return ` -xa ${fq('(__fish_complete_directories)')}`;
    case 'any':
      return ' -x';
  }
}

function firstLine(description: string): string {
  return description.split('\n')[0] ?? '';
}

/** Single-quoted for fish, where \\ and \' are the only escapes inside single quotes. */
function fq(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
