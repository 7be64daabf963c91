#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# completion/nesdoctor.bash, sourced into bash and called as bash calls it
# (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT set; COMPREPLY read back):
# once on its own, once after bash-completion's bash_completion when that is
# installed. What it offers must be what the option table says: the
# commands of --help, each command's options of `help COMMAND`, setup's
# parts, a value kind for every option that takes a value; and files for
# verify, show and -o, shared libraries for --module, tr/en for --lang.
set -uo pipefail
: "${ND_BIN:?}" "${ND_SRC:?}"
export NESDOCTOR_LOCALEDIR=${ND_BUILD:?}/locale
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir -p "$t/bin" "$t/files/sub"
ln -s "$ND_BIN" "$t/bin/nesdoctor"
export PATH="$t/bin:$PATH"
touch "$t/files/a.pem" "$t/files/b.der" "$t/files/libakisp11.so" "$t/files/libx.so.1" "$t/files/notes.txt" \
	"$t/files/r.tar.gz"
P=0 F=0
ok() { echo "ok   - $*"; P=$((P + 1)); }
bad() { echo "FAIL - $*"; F=$((F + 1)); }

# comp LINE: COMPREPLY for the cursor at the end of LINE, sorted, on one line
comp() {
	COMP_LINE=$1
	COMP_POINT=${#1}
	read -ra COMP_WORDS <<< "$1"
	[[ $1 == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_nesdoctor nesdoctor "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	# (a folder: "sub/" by itself, "sub" with bash-completion's _filedir,
	# which marks it with compopt -o filenames)
	printf '%s\n' "${COMPREPLY[@]}" | sed 's|/$||' | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() {   # expect DESC LINE WANT
	local got
	got=$(comp "$2")
	if [ "$got" = "$3" ]; then ok "$1: '$2' -> $3"
	else bad "$1: '$2' -> '$got', expected '$3'"; fi
}

# the table, read from the binary independently of the completion file
cmds=$("$ND_BIN" --lang en --help | awk '/^Commands:/{f=1; next} f && /^  [a-z]/{print $1; next} f{exit}' | sort | tr '\n' ' ' | sed 's/ $//')
opts_of() { "$ND_BIN" --lang en help "$1" | grep -oE '^  (-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+' | sort | tr '\n' ' ' | sed 's/ $//'; }
valued=$("$ND_BIN" --lang en --help | grep -oE '^  (-[a-zA-Z], )?--[a-z-]+ [^ ]+' | grep -oE -- '--[a-z-]+' | sort -u)

run_all() {
	local mode=$1
	echo "# $mode"
	[ "$(echo "$cmds" | wc -w)" -ge 9 ] || bad "$mode: --help lists too few commands: $cmds"
	expect "$mode: commands" "nesdoctor " "$(printf '%s\n' $cmds help | sort | tr '\n' ' ' | sed 's/ $//')"
	expect "$mode: a command's prefix" "nesdoctor s" "setup show sign-test"
	expect "$mode: after an option and its value, the commands" "nesdoctor --timeout 5 bu" "bundle"
	expect "$mode: help COMMAND" "nesdoctor help ver" "verify"
	local c
	for c in $cmds; do
		expect "$mode: $c's options, as 'help $c' lists them" "nesdoctor $c --" "$(opts_of "$c")"
	done
	expect "$mode: short options of bundle" "nesdoctor bundle -" \
		"$(printf '%s\n' $(opts_of bundle) -h -j -o -v | sort | tr '\n' ' ' | sed 's/ $//')"
	expect "$mode: an option before the command, with its value" "nesdoctor -o x.tar.gz bundle --o" "--offline --output"
	expect "$mode: --show-id is not offered for bundle" "nesdoctor bundle --sh" ""
	expect "$mode: setup's parts" "nesdoctor setup " "nss p11-kit pcscd polkit udev"
	expect "$mode: setup's parts after one" "nesdoctor setup udev p" "p11-kit pcscd polkit"
	expect "$mode: --lang" "nesdoctor --lang " "en tr"
	expect "$mode: --lang=" "nesdoctor check --lang=t" "tr"
	expect "$mode: --format" "nesdoctor check --format j" "json"
	expect "$mode: a number is typed" "nesdoctor --timeout " ""
	(
		cd "$t/files" || exit 1
		expect "$mode: files for verify" "nesdoctor verify " "a.pem b.der libakisp11.so libx.so.1 notes.txt r.tar.gz sub"
		expect "$mode: files for verify, a prefix" "nesdoctor verify --offline a" "a.pem"
		expect "$mode: files for show" "nesdoctor show r" "r.tar.gz"
		expect "$mode: files for -o" "nesdoctor bundle -o n" "notes.txt"
		expect "$mode: files for --output=" "nesdoctor bundle --output=b" "b.der"
		expect "$mode: shared libraries for --module" "nesdoctor tokens --module " "libakisp11.so libx.so.1 sub"
		expect "$mode: folders for --cache-dir" "nesdoctor check --cache-dir " "sub"
		expect "$mode: --anchor takes files" "nesdoctor verify --anchor a" "a.pem"
		echo "$P $F" > "$t/count"
	)
	read -r P F < "$t/count"
	# every option that takes a value has a kind here: an option added to
	# the table without one fails this test
	local o k
	for o in $valued; do
		k=$(_nesdoctor_value_kind "${o#--}")
		if [ "$k" = unknown ]; then bad "$mode: $o takes a value the completion does not know"
		else ok "$mode: $o's value: $k"; fi
	done
}

(
	# shellcheck source=/dev/null
	. "$ND_SRC/completion/nesdoctor.bash"
	declare -F _init_completion > /dev/null && { echo "bash-completion loaded on its own?"; exit 1; }
	[ "$(complete -p nesdoctor)" = "complete -F _nesdoctor nesdoctor" ] && ok "complete -F _nesdoctor nesdoctor" ||
		bad "not registered: $(complete -p nesdoctor 2>&1)"
	run_all "without bash-completion"
	echo "$P $F" > "$t/count1"
)
read -r P F < "$t/count1"
if [ -r /usr/share/bash-completion/bash_completion ]; then
	(
		# shellcheck source=/dev/null
		. /usr/share/bash-completion/bash_completion
		# shellcheck source=/dev/null
		. "$ND_SRC/completion/nesdoctor.bash"
		run_all "with bash-completion"
		echo "$P $F" > "$t/count2"
	)
	read -r P F < "$t/count2"
else
	echo "skip - bash-completion is not installed (tools/deps-test.txt installs it)"
fi
echo "$P passed, $F failed"
[ "$F" -eq 0 ]
