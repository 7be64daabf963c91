#!/bin/sh
# Fails when drivers-notes/devices.tsv is malformed or unsorted, so that the
# table the C code and the udev rules are generated from stays one clean
# source of truth. Usage: check.sh [devices.tsv]   (ctest: drivers_notes_check)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tsv=${1:-$here/devices.tsv}
notes=$(dirname "$tsv")

LC_ALL=C awk -F '\t' -v notes="$notes" '
function bad(msg) { printf "%s:%d: %s\n", FILENAME, FNR, msg; errors++ }
FNR == 1 {
	if ($0 != "# id\tkind\tiface\tname\tfamily\tlibccid\tacsccid\tsource")
		bad("the first line must be the header")
	next
}
/^#/ || /^$/ { bad("comments and blank lines only in the header"); next }
{
	if (NF != 8) { bad("expected 8 tab-separated fields, got " NF); next }
	if ($1 !~ /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]:[0-9a-f][0-9a-f][0-9a-f][0-9a-f]$/)
		bad("id must be vvvv:pppp in lower-case hex: " $1)
	if ($2 != "reader" && $2 != "token") bad("kind must be reader or token: " $2)
	if ($3 != "ccid" && $3 != "vendor") bad("iface must be ccid or vendor: " $3)
	if ($4 == "" || $4 ~ /["\\]/) bad("name empty or with a quote or backslash")
	if ($5 !~ /^[a-z0-9-]+$/) bad("family must be a note name: " $5)
	else if (system("test -f \"" notes "/" $5 ".md\"") != 0) bad("no note " $5 ".md")
	if ($6 != "listed" && $6 != "no") bad("libccid must be listed or no: " $6)
	if ($7 != "listed" && $7 != "no") bad("acsccid must be listed or no: " $7)
	if ($8 == "") bad("every row needs a source")
	for (i = 1; i <= NF; i++)
		if ($i ~ /^ | $/) bad("field " i " has leading or trailing blanks")
	if ($1 in seen) bad("duplicate id " $1)
	seen[$1] = 1
	if (prev != "" && $1 < prev) bad("not sorted: " $1 " after " prev)
	prev = $1
	rows++
}
END {
	if (rows == 0) bad("no rows")
	if (errors) { printf "FAIL: %d problem(s) in %s\n", errors, FILENAME; exit 1 }
	printf "%s: %d rows, sorted, well-formed\n", FILENAME, rows
}' "$tsv"
