import { allCommands, type CommandModel, flagsAt } from './command-model.js';
import { key, shellTables, sq } from './shell-tables.js';

/**
 * The zsh completion script: the same lookup tables as bash's (zsh runs the same `case`), plus descriptions for
 * `_describe`, and a function over zsh's `words`/`CURRENT`.
 */
export function zshCompletion(root: CommandModel): string {
  const described: string[] = ['_certkeeper_described() {', '  case "$1" in'];
  for (const command of allCommands(root)) {
    const subcommands = command.commands.map(
      (sub) => `${escapeColon(sub.name)}:${firstLine(sub.description)}`,
    );
    const flags = flagsAt(root, command.path).flatMap((flag) =>
      [flag.long, flag.short]
        .filter((name): name is string => name !== undefined)
        .map((name) => `${name}:${firstLine(flag.description)}`),
    );
    described.push(
      `    ${sq(`commands|${key(command)}`)}) printf '%s\\n' ${subcommands.map(sq).join(' ') || "''"} ;;`,
      `    ${sq(`flags|${key(command)}`)}) printf '%s\\n' ${flags.map(sq).join(' ')} ;;`,
    );
  }
  described.push('  esac', '}', '');

  return `#compdef certkeeper
# zsh completion for certkeeper, generated from its command definitions by \`certkeeper completion zsh\`.
# Load it now:   source <(certkeeper completion zsh)     (after compinit)
# Or for good:   certkeeper completion zsh > "\${fpath[1]}/_certkeeper"

${shellTables(root, '_certkeeper')}
${described.join('\n')}
_certkeeper_add_kind() {
  local -a choices
  case "$1" in
    file) _files ;;
    dir) _files -/ ;;
    words\\ *) choices=(\${=\${1#words }}); compadd -a choices ;;
  esac
}

_certkeeper() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]}
  local path_='' word kind i=2 positional=0
  local -a entries
  # Walk the words before the cursor: subcommands extend the path until the first positional argument.
  while (( i < CURRENT )); do
    word=\${words[i]}
    if [[ $word == -* ]]; then
      if [[ $word != *=* && -n $(_certkeeper_flag_value "$path_" "$word") ]]; then
        (( i++ ))
      fi
    elif (( positional == 0 )) && [[ " $(_certkeeper_subcommands "$path_") " == *" $word "* ]]; then
      path_=\${path_:+$path_ }$word
    else
      (( positional++ ))
    fi
    (( i++ ))
  done
  if [[ $cur == -*=* ]]; then
    kind=$(_certkeeper_flag_value "$path_" "\${cur%%=*}")
    if [[ -n $kind ]]; then
      compset -P '*='
      _certkeeper_add_kind "$kind"
      return
    fi
  fi
  if [[ $prev == -* ]]; then
    kind=$(_certkeeper_flag_value "$path_" "$prev")
    if [[ -n $kind ]]; then
      _certkeeper_add_kind "$kind"
      return
    fi
  fi
  if [[ $cur == -* ]]; then
    entries=("\${(@f)$(_certkeeper_described "flags|$path_")}")
    _describe -t options 'certkeeper flag' entries
    return
  fi
  if (( positional == 0 )); then
    entries=("\${(@f)$(_certkeeper_described "commands|$path_")}")
    entries=(\${entries:#})
    (( \${#entries} )) && _describe -t commands 'certkeeper command' entries
  fi
  _certkeeper_add_kind "$(_certkeeper_argument "$path_" "$positional")"
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _certkeeper "$@"
else
  compdef _certkeeper certkeeper
fi
`;
}

function firstLine(description: string): string {
  return escapeColon(description.split('\n')[0] ?? '');
}

/** _describe splits "name:description" at the first unescaped colon. */
function escapeColon(text: string): string {
  return text.replaceAll(':', '\\:');
}
