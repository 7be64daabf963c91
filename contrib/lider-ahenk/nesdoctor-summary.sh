#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# nesdoctor for Lider Ahenk's script policy (Pardus): prints nesdoctor's JSON
# summary (`nesdoctor check --format summary`, schema nesdoctor.summary/1) on
# standard output, one line. Always one valid JSON object, within a bounded
# time; exit 0 unless this script itself failed (nesdoctor's exit codes 1, 2
# and 3 are verdicts: they are in the JSON as exit_code). When nesdoctor is
# missing, fails or runs out of time, the object has verdict "unknown",
# exit_code 3 and "error" saying why. See README.md next to this file.

# ---- settings (edit here before pasting into Lider) ----
# options for `nesdoctor check`, e.g. (--module /usr/lib/libakisp11.so --lang tr)
EXTRA_ARGS=()
# the whole run is bounded by this many seconds
LIMIT=60
# -------------------------------------------------------
# also read: /etc/nesdoctor/fleet.args (one argument per line, # comments),
# the file the Ansible role and the Zabbix UserParameter read.
ARGS_FILE=/etc/nesdoctor/fleet.args
NESDOCTOR=${NESDOCTOR:-nesdoctor}   # the binary (tests point it elsewhere)

export LC_ALL=C.UTF-8
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

json_str() {   # a JSON string of $1 (control characters dropped)
	local s=${1//\\/\\\\}
	s=${s//\"/\\\"}
	printf '"%s"' "$(printf '%s' "$s" | tr -d '\000-\037')"
}
# fail_json MESSAGE: the summary's shape, verdict unknown and its exit code 3
# (could not determine), "error" saying why
fail_json() {
	printf '{"schema": "nesdoctor.summary/1", "version": null, "time": "%s", "host": %s, "command": "check", "verdict": "unknown", "exit_code": 3, "primary_cause": null, "primary_message": null, "certificate_not_after": null, "certificate_days_left": null, "pin_state": "unknown", "readers": 0, "tokens": 0, "checks": {}, "duration_ms": 0, "error": %s}\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(json_str "$(uname -n)")" "$(json_str "$1")"
}

args=("${EXTRA_ARGS[@]}")
if [ -r "$ARGS_FILE" ]; then
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line#"${line%%[![:space:]]*}"}
		line=${line%"${line##*[![:space:]]}"}
		case $line in '' | '#'*) continue ;; esac
		args+=("$line")
	done < "$ARGS_FILE"
fi

if ! command -v "$NESDOCTOR" > /dev/null 2>&1; then
	fail_json "nesdoctor is not installed (apt install nesdoctor)"
	exit 0
fi
out=$(mktemp) err=$(mktemp) || { fail_json "mktemp failed"; exit 1; }
trap 'rm -f "$out" "$err"' EXIT
timeout -k 5 "$LIMIT" "$NESDOCTOR" check --format summary "${args[@]}" < /dev/null > "$out" 2> "$err"
rc=$?
# a summary: one JSON object whose schema is nesdoctor.summary/1. Checked
# with python3 when there is one (Pardus has it), else by its first bytes.
if command -v python3 > /dev/null 2>&1; then
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); assert d["schema"] == "nesdoctor.summary/1"; print(json.dumps(d, ensure_ascii=False))' "$out" 2> /dev/null && exit 0
elif grep -q '^{"schema": *"nesdoctor.summary/1"' "$out" && [ "$(tail -c 2 "$out" | head -c 1)" = "}" ]; then
	tr -d '\n' < "$out"; echo
	exit 0
fi
case $rc in
124 | 137) fail_json "nesdoctor did not finish within $LIMIT s" ;;
*) fail_json "nesdoctor exited $rc without a summary: $(tail -n 1 "$err" | cut -c1-200)" ;;
esac
exit 0
