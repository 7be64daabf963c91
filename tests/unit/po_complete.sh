#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Every user-visible string (_() and N_() in src/) has a Turkish translation,
# and no translation breaks a printf format. Fails with the list of missing
# strings, so whoever adds a message sees at once what to translate.
set -euo pipefail
: "${ND_SRC:?}" "${ND_BUILD:?}"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
find "$ND_SRC/src" -name '*.c' | sort > "$t/files"
xgettext --from-code=UTF-8 -k_ -kN_ --files-from="$t/files" -o "$t/nd.pot"
msgcat --use-first -o "$t/tr.po" "$ND_SRC"/po/tr/*.po
msgfmt --check-format -o /dev/null "$t/tr.po"
if ! msgcmp --use-untranslated "$t/tr.po" "$t/nd.pot" 2> "$t/err"; then
	sed -n 's/^[^:]*nd.pot:\([0-9]*\): this message is used but not defined.*/\1/p' "$t/err" |
		while read -r n; do sed -n "$((n - 1))p" "$t/nd.pot"; done | head -60
	echo "FAIL: strings without a Turkish translation (add them to po/tr/<part>.po)"
	exit 1
fi
# an empty translation would print English in a Turkish report
if msgattrib --untranslated "$t/tr.po" | grep -q '^msgid "[^"]'; then
	msgattrib --untranslated "$t/tr.po" | grep '^msgid' | head -20
	echo "FAIL: empty translations"
	exit 1
fi
echo "1 passed, 0 failed"
