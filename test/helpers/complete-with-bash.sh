#!/usr/bin/env bash
# Drives bash completion as readline does, for tests:
#   SCRIPT=completion.bash LINE='berth run --ho' [LOAD_BASH_COMPLETION=1] bash complete-with-bash.sh
# Loads the script, prints `complete -p berth`, runs the function it names with COMP_WORDS,
# COMP_CWORD, COMP_LINE and COMP_POINT set for LINE (Tab pressed at its end), then prints
# COMPREPLY, one candidate a line.
if [ "${LOAD_BASH_COMPLETION:-0}" = 1 ]; then
  source /usr/share/bash-completion/bash_completion
fi
source "$SCRIPT"
spec=$(complete -p berth) || exit 3
printf '%s\n' "$spec"
function=$(sed -E 's/.* -F ([^ ]+) .*/\1/' <<<"$spec")
read -ra COMP_WORDS <<<"$LINE"
if [[ -z $LINE || $LINE == *' ' ]]; then COMP_WORDS+=(''); fi
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$LINE
COMP_POINT=${#LINE}
COMPREPLY=()
"$function" berth "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
