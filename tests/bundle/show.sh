#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# nesdoctor show on what is not a whole report: a clear error and exit 64,
# never a crash or a wait; a hand-made whole report is shown with its own
# exit code and language. No rig: nothing here talks to pcscd.
set -uo pipefail
: "${ND_BIN:?}"
export NESDOCTOR_LOCALEDIR=${ND_BUILD:?}/locale NO_COLOR=1
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
P=0 F=0
ok() { echo "ok   - $*"; P=$((P + 1)); }
bad() { echo "FAIL - $*"; F=$((F + 1)); }

# refused FILE DESC TEXT: exit 64, TEXT on stderr, nothing on stdout
refused() {
	timeout 20 "$ND_BIN" --lang en show "$1" > "$t/out" 2> "$t/err"
	local rc=$?
	if [ $rc -eq 64 ] && grep -qF -- "$3" "$t/err" && [ ! -s "$t/out" ] && ! grep -q Sanitizer "$t/err"; then
		ok "$2: exit 64, '$3'"
	else bad "$2: exit $rc"; cat "$t/err" "$t/out" | head -5; fi
}

good() {
	cat <<JSON
{ "schema": "nesdoctor.report/1", "version": "0.2.0", "time": "2026-11-24T09:30:00Z",
  "command": "check", "lang": "$1", "verdict": "warning", "exit_code": 1, "primary_cause": null,
  "checks": [
    { "id": "sys.os", "layer": "sys", "status": "pass", "message": "Debian 12", "remedy": null,
      "depends_on": [], "blocked_by": null },
    { "id": "cert.revocation", "layer": "cert", "status": "warn", "message": "not checked 12345678950",
      "remedy": "go online", "depends_on": ["cert.chain"], "blocked_by": null },
    { "id": "dys.ready", "layer": "dys", "status": "warn", "message": "ready", "remedy": "see above",
      "depends_on": [], "blocked_by": null }
  ],
  "inventory": { } }
JSON
}

good en > "$t/good.json"
"$ND_BIN" --lang tr show "$t/good.json" > "$t/out" 2> "$t/err"; rc=$?
if [ $rc -eq 1 ] && grep -q "^READY, WITH WARNINGS" "$t/out" && grep -q "^Verdict: ready, with warnings (warning, exit code 1)" "$t/out"; then
	ok "a hand-made report: exit 1, shown in its language (en) whatever --lang says"
else bad "a hand-made report: exit $rc"; cat "$t/out" "$t/err" | head -20; fi
grep -qF "not checked 123******50" "$t/out" && ok "show masks a TCKN in a message" || bad "show: TCKN not masked"
grep -qF "→ go online" "$t/out" && ok "show prints the remedy under its check" || bad "show: no remedy"
good tr > "$t/tr.json"
"$ND_BIN" --lang en show "$t/tr.json" > "$t/out" 2>&1
grep -q "^Sonuç: hazır, uyarılarla (warning, çıkış kodu 1)" "$t/out" && ok "a Turkish report is shown in Turkish" ||
	{ bad "a Turkish report"; head -20 "$t/out"; }
"$ND_BIN" show --json "$t/good.json" > "$t/out"; rc=$?
[ $rc -eq 1 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["verdict"] == "warning" and "12345678950" not in json.dumps(d)' "$t/out" &&
	ok "show --json: the report back, TCKN masked, its exit code" || bad "show --json (exit $rc)"

echo '{"a": 1}' > "$t/other.json"
refused "$t/other.json" "JSON that is not a report" "not a nesdoctor report"
good en | sed 's|nesdoctor.report/1|nesdoctor.report/2|' > "$t/v2.json"
refused "$t/v2.json" "another schema" "its schema is not nesdoctor.report/1"
good en | sed 's|"exit_code": 1|"exit_code": 0|' > "$t/code.json"
refused "$t/code.json" "an exit code that is not the verdict's" '"exit_code"'
good en | sed 's|"status": "pass"|"status": "great"|' > "$t/status.json"
refused "$t/status.json" "a check with an unknown status" '"checks[].status"'
good en | sed 's|"primary_cause": null|"primary_cause": "pcsc.card"|' > "$t/primary.json"
refused "$t/primary.json" "a primary cause that is not among the checks" '"primary_cause"'
good en | sed 's|"inventory": { } }|"inventory": 5 }|' > "$t/inv.json"
refused "$t/inv.json" "an inventory that is not an object" '"inventory"'
good en | head -c 300 > "$t/cut.json"
refused "$t/cut.json" "a report cut short" "it is not JSON"
printf '\x1f\x8b\x08\x00garbage' > "$t/bad.tar.gz"
refused "$t/bad.tar.gz" "a gzip that is no bundle" "the bundle cannot be read"
tar czf "$t/empty.tar.gz" -C "$t" other.json
refused "$t/empty.tar.gz" "a tar.gz without report.json" "the bundle holds no report.json"
mkdir -p "$t/deep/a/b" && cp "$t/good.json" "$t/deep/a/b/report.json"
tar czf "$t/deep.tar.gz" -C "$t/deep" a
refused "$t/deep.tar.gz" "report.json two folders down is not a bundle's" "the bundle holds no report.json"
mkdir -p "$t/one/nesdoctor-x" "$t/cwd" && cp "$t/good.json" "$t/one/nesdoctor-x/report.json"
tar czf "$t/one.tar.gz" -C "$t/one" nesdoctor-x
(cd "$t/cwd" && "$ND_BIN" --lang en show "$t/one.tar.gz" > "$t/out" 2> "$t/err"); rc=$?
if [ $rc -eq 1 ] && grep -q "^READY, WITH WARNINGS" "$t/out" && [ -z "$(ls -A "$t/cwd")" ]; then
	ok "show of a bundle: its report.json, nothing unpacked to disk"
else bad "show of a bundle: exit $rc, in the folder: $(ls -A "$t/cwd")"; cat "$t/err"; fi
truncate -s 17M "$t/big.json"
refused "$t/big.json" "a file larger than 16 MiB" "larger than a report can be"
mkfifo "$t/fifo"
refused "$t/fifo" "a FIFO (never waited for)" "not a regular file"
refused "$t/none.json" "a file that does not exist" "No such file or directory"
"$ND_BIN" show > /dev/null 2> "$t/err"; rc=$?
[ $rc -eq 64 ] && ok "show without a file: usage error 64" || bad "show without a file: exit $rc"
echo "$P passed, $F failed"
[ "$F" -eq 0 ]
