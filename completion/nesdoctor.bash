# bash completion for nesdoctor                             -*- shell-script -*-
#
# The commands, each command's options and the setup parts are read from
# nesdoctor itself (`nesdoctor --help`, `nesdoctor help COMMAND`, the parts
# named by `setup`'s usage error): src/cli/options.c's table stays the one
# list, and this file never goes stale. They are read once per shell.
# What an option's value is (a file, a folder, a shared library, a
# language, ...) is said here, by the option's name; tests/completion
# fails when an option that takes a value has no entry below.
#
# Uses bash-completion's _init_completion, _filedir and _count_args when
# they are there, and works without them.

declare -gA _nesdoctor_opts_cache=()
_nesdoctor_cmds_cache=
_nesdoctor_parts_cache=

# _nesdoctor_run BIN ARGS...: nesdoctor in English, without colour
_nesdoctor_run() {
	local bin=$1
	shift
	LC_ALL=C NO_COLOR=1 "$bin" --lang en "$@" 2>&1
}

# the commands, one a line
_nesdoctor_commands() {
	if [[ -z $_nesdoctor_cmds_cache ]]; then
		_nesdoctor_cmds_cache=$(_nesdoctor_run "$1" --help |
			awk '/^Commands:/ {f = 1; next} f && /^  [a-z]/ {print $1; next} f {exit}')
	fi
	printf '%s\n' "$_nesdoctor_cmds_cache"
}

# the options of COMMAND (_all: of every command), one a line: "--name"
# or "--name=" (takes a value), and "-x" / "-x=" for a short name
_nesdoctor_options() {
	local bin=$1 cmd=$2 line re='^  (-([A-Za-z0-9]), )?--([a-z][a-z0-9-]*)( [^ ]+)?( |$)' out=
	if [[ -z ${_nesdoctor_opts_cache[$cmd]+set} ]]; then
		while IFS= read -r line; do
			[[ $line =~ $re ]] || continue
			local v=
			[[ -n ${BASH_REMATCH[4]} ]] && v==
			out+="--${BASH_REMATCH[3]}$v"$'\n'
			[[ -n ${BASH_REMATCH[2]} ]] && out+="-${BASH_REMATCH[2]}$v"$'\n'
		done < <(if [[ $cmd == _all ]]; then _nesdoctor_run "$bin" --help; else _nesdoctor_run "$bin" help "$cmd"; fi)
		_nesdoctor_opts_cache[$cmd]=$out
	fi
	printf '%s' "${_nesdoctor_opts_cache[$cmd]}"
}

# the setup parts, from setup's own answer to a part it does not know
_nesdoctor_parts() {
	if [[ -z $_nesdoctor_parts_cache ]]; then
		_nesdoctor_parts_cache=$(_nesdoctor_run "$1" setup _ |
			sed -n 's/.*(parts: \(.*\))$/\1/p' | tr -d ,)
	fi
	printf '%s\n' $_nesdoctor_parts_cache
}

# What the value of the option NAME (without dashes) is: file, dir,
# library, lang, group, format, or none (a number, a reader's name: typed).
# "unknown" for an option not listed here.
_nesdoctor_value_kind() {
	case $1 in
	anchor | output | o) echo file ;;
	cache-dir | root | textfile-dir) echo dir ;;
	module) echo library ;;
	lang) echo lang ;;
	polkit-group) echo group ;;
	format) echo format ;;
	timeout | count | pin-fd | expiry-warn | reader) echo none ;;
	*) echo unknown ;;
	esac
}

# COMPREPLY: files (all, or matching the extended glob $2), with folders
_nesdoctor_files() {
	local cur=$1 pat=${2:-} IFS=$'\n' f
	if [[ -z $pat ]] && declare -F _filedir > /dev/null; then
		_filedir
		return
	fi
	COMPREPLY=()
	for f in $(compgen -f -- "$cur"); do
		if [[ -d $f ]]; then
			COMPREPLY+=("$f/")
		elif [[ -z $pat || $f == $pat ]]; then
			COMPREPLY+=("$f")
		fi
	done
	[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]] && compopt -o nospace 2> /dev/null
	return 0
}

_nesdoctor_value() {
	local kind cur=$2
	kind=$(_nesdoctor_value_kind "$1")
	case $kind in
	file) _nesdoctor_files "$cur" ;;
	dir)
		local IFS=$'\n'
		COMPREPLY=($(compgen -d -- "$cur"))
		;;
	library) _nesdoctor_files "$cur" '*.so*' ;;
	lang) COMPREPLY=($(compgen -W 'tr en' -- "$cur")) ;;
	group) COMPREPLY=($(compgen -g -- "$cur")) ;;
	format) COMPREPLY=($(compgen -W 'text json prometheus summary' -- "$cur")) ;;
	*) COMPREPLY=() ;;
	esac
}

_nesdoctor() {
	local cur prev words cword
	if declare -F _init_completion > /dev/null; then
		_init_completion -n = || return
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]:-}
	fi
	local bin=${words[0]} cmd= i w opts name takes
	[[ $bin == */* || -n $(type -P "$bin") ]] || bin=nesdoctor
	bin=${bin/#\~/$HOME}

	# the command: the first word that is not an option or an option's value
	opts=$(_nesdoctor_options "$bin" _all)
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		if [[ $w == -* ]]; then
			[[ $w == *=* ]] && continue
			[[ $'\n'$opts$'\n' == *$'\n'"$w="$'\n'* ]] && ((i++))
			continue
		fi
		cmd=$w
		break
	done
	[[ -n $cmd ]] && opts=$(_nesdoctor_options "$bin" "$cmd")

	# --name=VALUE
	if [[ $cur == --*=* ]]; then
		name=${cur%%=*}
		cur=${cur#*=}
		_nesdoctor_value "${name#--}" "$cur"
		return 0
	fi
	# the value of the option before
	if [[ $prev == -* && $'\n'$opts$'\n' == *$'\n'"$prev="$'\n'* ]]; then
		name=${prev#--}
		name=${name#-}
		_nesdoctor_value "$name" "$cur"
		return 0
	fi
	if [[ $cur == -* ]]; then
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "$(printf '%s\n' $opts | sed 's/=$//')" -- "$cur"))
		return 0
	fi
	case $cmd in
	'') COMPREPLY=($(compgen -W "$(_nesdoctor_commands "$bin") help" -- "$cur")) ;;
	help) COMPREPLY=($(compgen -W "$(_nesdoctor_commands "$bin")" -- "$cur")) ;;
	setup) COMPREPLY=($(compgen -W "$(_nesdoctor_parts "$bin")" -- "$cur")) ;;
	verify) _nesdoctor_files "$cur" ;;
	show) _nesdoctor_files "$cur" ;;
	*) COMPREPLY=() ;;
	esac
	return 0
} &&
	complete -F _nesdoctor nesdoctor

# ex: filetype=sh
