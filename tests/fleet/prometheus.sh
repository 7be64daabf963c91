#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Prometheus and the fleet summary with the real components, in private
# namespaces: the e2e world (tests/e2e/lib.sh: pcscd + vpcd + a virtual
# AKIS card, SoftHSM2, the test PKI with OCSP on loopback), Debian's
# prometheus-node-exporter reading a textfile folder on a loopback port,
# and `nesdoctor check --textfile-dir` writing to it:
#   ready (good RSA certificate, AKIS card)   -> verdict ready, exit 0
#   not ready (the card taken out)            -> pcsc.card, exit 2
#   not ready (a certificate without QC)      -> cert.qualified, whose
#     message names the holder: withheld from the summary
# /metrics is fetched and the nesdoctor metrics asserted; `promtool check
# metrics` on nesdoctor's own output; --format summary parsed by python.
. "$(cd "$(dirname "$0")" && pwd)/../e2e/lib.sh" || exit 1
rig_enter_ns "$@"
T0=$(date +%s%N)
NE=$(command -v prometheus-node-exporter || true)
if [ -z "$NE" ] || ! command -v promtool > /dev/null; then
	echo "FAIL: prometheus-node-exporter and promtool are needed (tools/deps-test.txt)"
	exit 1
fi
TF=$RIG_WORK/textfile NEPORT=19100
mkdir -p "$TF"
e2e_world
e2e_token rsa good-rsa
e2e_token noqc noqc
rig_bg "$RIG_WORK/node-exporter.log" "$NE" --web.listen-address=127.0.0.1:$NEPORT \
	--collector.disable-defaults --collector.textfile --collector.textfile.directory="$TF"
for ((i = 0; i < 100; i++)); do
	ss -ltn | grep -q "127.0.0.1:$NEPORT " && break
	sleep 0.1
done

NAME="TEST KULLANICI ÇAĞRI"   # the holder's name in mkpki.sh's certificates
NA_RSA=$(date -u -d "$(openssl x509 -in "$P/good-rsa.pem" -noout -enddate | cut -d= -f2)" +%s)
NA_NOQC=$(date -u -d "$(openssl x509 -in "$P/noqc.pem" -noout -enddate | cut -d= -f2)" +%s)

# textfile NAME ARGS...: nesdoctor check --textfile-dir $TF with this
# world's options; stdout in $OUT (quiet unless a --format is given)
textfile() {
	local name=$1; shift
	# shellcheck disable=SC2046
	run "$name" check --lang en $(nd_opts "$name") --textfile-dir "$TF" "$@"
}
# scrape NAME: node_exporter's /metrics in $RIG_WORK/NAME.metrics
scrape() {
	SCRAPE=$RIG_WORK/$1.metrics
	curl -sf --max-time 5 "http://127.0.0.1:$NEPORT/metrics" > "$SCRAPE" || { bad "$1: /metrics not fetched"; return 1; }
}
# mcheck FILE DESC EXPR...: python expressions over the samples of an
# exposition file: m(name, **labels) is the value of the one matching
# series (None when absent), series(name) all of them as (labels, value)
mcheck() {
	local f=$1 desc=$2; shift 2
	if python3 - "$f" "$@" <<'PY'; then ok "$desc"; else bad "$desc"; sed 's/^/    | /' "$f" | grep -v '^    | #' | grep nesdoctor_ | head -20; fi
import re, sys
samples = []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    mt = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$', line.rstrip("\n"))
    assert mt, line
    labels = dict(re.findall(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"', mt.group(2) or ""))
    samples.append((mt.group(1), labels, float(mt.group(3))))
def series(name):
    return [(l, v) for n, l, v in samples if n == name]
def m(name, **want):
    hits = [v for l, v in series(name) if all(l.get(k) == w for k, w in want.items())]
    assert len(hits) <= 1, (name, want, hits)
    return hits[0] if hits else None
for e in sys.argv[2:]:
    if not eval(e):
        print(f"    false: {e}", file=sys.stderr)
        sys.exit(1)
PY
}
# summary NAME ARGS...: --format summary, one line of JSON
summary() {
	local name=$1; shift
	# shellcheck disable=SC2046
	run "$name" check --lang en $(nd_opts "$name") --format summary "$@"
	if [ "$(wc -l < "$OUT")" -eq 1 ]; then ok "$name: the summary is one line"; else bad "$name: the summary is not one line"; show "$OUT"; fi
	jcheck "$OUT" "$name: the summary's keys, exactly, in order" \
		'list(d) == ["schema", "version", "time", "host", "command", "verdict", "exit_code", "primary_cause", "primary_message", "certificate_not_after", "certificate_days_left", "pin_state", "readers", "tokens", "checks", "duration_ms"]' \
		'd["schema"] == "nesdoctor.summary/1" and d["command"] == "check" and d["host"] == __import__("socket").gethostname()' \
		"d['version'] == '$("$ND_BIN" --version | cut -d' ' -f2)'" \
		'__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["time"])' \
		"list(d['checks']) == '$ALL_IDS'.split()" \
		'all(s in ("pass", "warn", "fail", "skip", "info") for s in d["checks"].values())' \
		'isinstance(d["duration_ms"], int) and 0 <= d["duration_ms"] < 60000' \
		"d['exit_code'] == $RC" \
		"'$TCKN' not in open('$OUT', encoding='utf-8').read()" \
		"'$NAME' not in open('$OUT', encoding='utf-8').read() and 'ÇAĞRI' not in open('$OUT', encoding='utf-8').read()"
}

# ---- usage: the formats a command takes, the folder --textfile-dir takes
run usage-readers readers --format prometheus
expect_rc 64 "readers --format prometheus: a usage error"
has "$ERR" "'readers' does not take '--format prometheus' (only check does)" "readers --format prometheus: says why"
run usage-verify --format summary verify "$P/good-rsa.pem"
expect_rc 64 "verify --format summary (option first): a usage error"
run usage-two check --json --format summary
expect_rc 64 "--json with --format summary: a usage error"
run usage-bad check --format yaml
expect_rc 64 "--format yaml: a usage error"
run usage-file check --textfile-dir "$P/good-rsa.pem"
expect_rc 64 "--textfile-dir on a file: a usage error"
has "$ERR" "--textfile-dir takes an existing folder" "--textfile-dir on a file: says why"
run usage-tf-readers readers --textfile-dir "$TF"
expect_rc 64 "readers --textfile-dir: a usage error"
[ ! -e "$TF/nesdoctor.prom" ] && ok "usage errors: no file written" || bad "usage errors: a file was written"

# ---- 1. ready
e2e_card "$UEKAE"
e2e_use rsa
# a link where the file goes: replaced by the rename, never written through
: > "$RIG_WORK/victim"
ln -s "$RIG_WORK/victim" "$TF/nesdoctor.prom"
CACHE=rsa textfile ready
expect_rc 0 "ready: exit code 0"
[ ! -s "$OUT" ] && ok "ready: --textfile-dir alone, standard output quiet" || { bad "ready: output on stdout"; show "$OUT"; }
if [ -f "$TF/nesdoctor.prom" ] && [ ! -L "$TF/nesdoctor.prom" ] && [ ! -s "$RIG_WORK/victim" ]; then
	ok "ready: the link was replaced, not written through"
else bad "ready: nesdoctor.prom written through a link"; ls -la "$TF" "$RIG_WORK/victim"; fi
[ "$(stat -c %a "$TF/nesdoctor.prom")" = 644 ] && ok "ready: the file is readable by node_exporter (0644)" ||
	bad "ready: mode $(stat -c %a "$TF/nesdoctor.prom")"
[ "$(ls -A "$TF")" = nesdoctor.prom ] && ok "ready: no temporary file left" || { bad "ready: files left"; ls -la "$TF"; }
if promtool check metrics < "$TF/nesdoctor.prom" > "$RIG_WORK/promtool.out" 2>&1 && [ ! -s "$RIG_WORK/promtool.out" ]; then
	ok "ready: promtool check metrics is clean"
else bad "ready: promtool check metrics"; show "$RIG_WORK/promtool.out"; fi
scrape ready && mcheck "$SCRAPE" "ready: node_exporter serves nesdoctor's metrics with the right values" \
	'm("node_textfile_scrape_error") == 0' \
	'm("nesdoctor_verdict", verdict="ready") == 1 and m("nesdoctor_verdict", verdict="not_ready") == 0' \
	'm("nesdoctor_verdict", verdict="warning") == 0 and m("nesdoctor_verdict", verdict="unknown") == 0' \
	'm("nesdoctor_exit_code") == 0 and series("nesdoctor_primary_cause_info") == []' \
	"m('nesdoctor_certificate_not_after_timestamp_seconds') == $NA_RSA" \
	'm("nesdoctor_pin_final_try") == 0 and m("nesdoctor_pin_locked") == 0' \
	'm("nesdoctor_readers") == 2 and m("nesdoctor_tokens") == 1' \
	'm("nesdoctor_check_status", id="dys.ready", layer="dys", status="pass") == 1' \
	'm("nesdoctor_check_status", id="dys.ready", status="fail") == 0' \
	"len(series('nesdoctor_check_status')) == 5 * len('$ALL_IDS'.split())" \
	"m('nesdoctor_build_info', version='$("$ND_BIN" --version | cut -d' ' -f2)') == 1" \
	'0 < m("nesdoctor_run_duration_seconds") < 60' \
	'abs(m("nesdoctor_last_run_timestamp_seconds") - __import__("time").time()) < 120' \
	"'$TCKN' not in open('$SCRAPE').read() and 'KULLANICI' not in open('$SCRAPE').read()"
CACHE=rsa summary ready-summary
jcheck "$OUT" "ready: the summary's values" \
	'd["verdict"] == "ready" and d["exit_code"] == 0' \
	'd["primary_cause"] is None and d["primary_message"] is None' \
	"d['certificate_not_after'] == __import__('time').strftime('%Y-%m-%dT%H:%M:%SZ', __import__('time').gmtime($NA_RSA))" \
	"d['certificate_days_left'] == ($NA_RSA - __import__('calendar').timegm(__import__('time').strptime(d['time'], '%Y-%m-%dT%H:%M:%SZ'))) // 86400" \
	'd["pin_state"] == "ok" and d["readers"] == 2 and d["tokens"] == 1' \
	'd["checks"]["dys.ready"] == "pass" and d["checks"]["cert.revocation"] == "pass"'
# --format prometheus on stdout as well as the file
CACHE=rsa textfile ready-both --format prometheus
expect_rc 0 "ready, --textfile-dir with --format prometheus: exit code 0"
mcheck "$OUT" "ready, --format prometheus: the same metrics on standard output" \
	'm("nesdoctor_verdict", verdict="ready") == 1 and m("nesdoctor_exit_code") == 0'

# ---- 2. not ready: the card taken out
e2e_nocard
CACHE=rsa textfile nocard
expect_rc 2 "no card: exit code 2"
scrape nocard && mcheck "$SCRAPE" "no card: node_exporter serves not_ready, primary cause pcsc.card" \
	'm("node_textfile_scrape_error") == 0' \
	'm("nesdoctor_verdict", verdict="not_ready") == 1 and m("nesdoctor_verdict", verdict="ready") == 0' \
	'm("nesdoctor_exit_code") == 2' \
	'[l for l, v in series("nesdoctor_primary_cause_info")] == [{"id": "pcsc.card"}]' \
	'm("nesdoctor_check_status", id="pcsc.card", layer="pcsc", status="fail") == 1' \
	'm("nesdoctor_check_status", id="pcsc.card", status="pass") == 0' \
	"m('nesdoctor_certificate_not_after_timestamp_seconds') == $NA_RSA" \
	'm("nesdoctor_readers") == 2 and m("nesdoctor_tokens") == 1'
CACHE=rsa summary nocard-summary
jcheck "$OUT" "no card: the summary's values" \
	'd["verdict"] == "not_ready" and d["exit_code"] == 2 and d["primary_cause"] == "pcsc.card"' \
	'd["primary_message"] == "none of the 2 card readers has a card" or "card" in d["primary_message"]' \
	'd["checks"]["pcsc.card"] == "fail" and d["checks"]["dys.ready"] == "fail"' \
	'd["readers"] == 2 and d["tokens"] == 1 and d["certificate_days_left"] > 30'

# ---- 3. not ready: a certificate without QC statements; cert.qualified's
# message names the holder, so the summary withholds it
e2e_card "$UEKAE"
e2e_use noqc
CACHE=noqc nd_check noqc-json
jcheck "$OUT" "no QC: the report's cert.qualified message names the holder (what the summary must not carry)" \
	'd["primary_cause"] == "cert.qualified"' "'ÇAĞRI' in check('cert.qualified')['message']"
CACHE=noqc summary noqc-summary
jcheck "$OUT" "no QC: the summary names the cause, withholds its message" \
	'd["verdict"] == "not_ready" and d["primary_cause"] == "cert.qualified"' \
	'd["primary_message"].startswith("withheld:")' \
	"d['certificate_not_after'] == __import__('time').strftime('%Y-%m-%dT%H:%M:%SZ', __import__('time').gmtime($NA_NOQC))"
CACHE=noqc summary noqc-showid --show-id
jcheck "$OUT" "no QC, --show-id: the summary still masks (it leaves the machine)" 'True'
CACHE=noqc textfile noqc
scrape noqc && mcheck "$SCRAPE" "no QC: primary cause cert.qualified, no name in any label" \
	'[l for l, v in series("nesdoctor_primary_cause_info")] == [{"id": "cert.qualified"}]' \
	"'ÇAĞRI' not in open('$SCRAPE', encoding='utf-8').read() and '$TCKN' not in open('$SCRAPE').read()"

# ---- 4. a folder that cannot be written: said, exit 74, the old file kept
mount --bind "$TF" "$TF" && mount -o remount,bind,ro "$TF"
cp "$TF/nesdoctor.prom" "$RIG_WORK/before.prom"
CACHE=noqc textfile readonly
expect_rc 74 "read-only textfile folder: exit code 74"
has "$ERR" "could not write $TF/nesdoctor.prom" "read-only textfile folder: said on stderr"
cmp -s "$TF/nesdoctor.prom" "$RIG_WORK/before.prom" && ok "read-only textfile folder: the old file is intact" ||
	bad "read-only textfile folder: the file changed"
umount "$TF"

echo "fleet_prometheus took $((($(date +%s%N) - T0) / 1000000)) ms"
finish
