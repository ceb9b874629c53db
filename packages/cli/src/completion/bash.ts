import type { CommandModel } from './command-model.js';
import { shellTables } from './shell-tables.js';

/**
 * The bash completion script: lookup tables generated from the command definitions, and one function that walks
 * the words typed so far (subcommands, flags and the values they take) to know what the current word can be.
 */
export function bashCompletion(root: CommandModel): string {
  return `# bash completion for certkeeper, generated from its command definitions by \`certkeeper completion bash\`.
# Load it now:   source <(certkeeper completion bash)
# Or for good:   certkeeper completion bash > /usr/share/bash-completion/completions/certkeeper

${shellTables(root, '_certkeeper')}
_certkeeper_add_kind() {
  case "$1" in
    file) COMPREPLY+=($(compgen -f -- "$2")); compopt -o filenames 2>/dev/null ;;
    dir) COMPREPLY+=($(compgen -d -- "$2")); compopt -o filenames 2>/dev/null ;;
    words\\ *) COMPREPLY+=($(compgen -W "\${1#words }" -- "$2")) ;;
  esac
}

_certkeeper() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local path_='' word flag='' kind i=1 positional=0
  COMPREPLY=()
  # Walk the words before the cursor: subcommands extend the path until the first positional argument.
  while (( i < COMP_CWORD )); do
    word=\${COMP_WORDS[i]}
    if [[ $word == -* ]]; then
      if [[ \${COMP_WORDS[i+1]} == = ]]; then
        (( i += 2 )) # a value after '=', split off by COMP_WORDBREAKS
      elif [[ $word != *=* && -n $(_certkeeper_flag_value "$path_" "$word") ]]; then
        (( i++ ))
      fi
    elif (( positional == 0 )) && [[ " $(_certkeeper_subcommands "$path_") " == *" $word "* ]]; then
      path_=\${path_:+$path_ }$word
    else
      (( positional++ ))
    fi
    (( i++ ))
  done
  if [[ $cur == = ]]; then
    flag=$prev; cur=''
  elif [[ $prev == = ]]; then
    flag=\${COMP_WORDS[COMP_CWORD-2]}
  elif [[ $prev == -* ]]; then
    flag=$prev
  fi
  if [[ -n $flag ]]; then
    kind=$(_certkeeper_flag_value "$path_" "$flag")
    if [[ -n $kind ]]; then
      _certkeeper_add_kind "$kind" "$cur"
      return 0
    fi
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_certkeeper_flags "$path_")" -- "$cur"))
    return 0
  fi
  if (( positional == 0 )); then
    COMPREPLY=($(compgen -W "$(_certkeeper_subcommands "$path_")" -- "$cur"))
  fi
  _certkeeper_add_kind "$(_certkeeper_argument "$path_" "$positional")" "$cur"
  return 0
}

complete -F _certkeeper certkeeper
`;
}
