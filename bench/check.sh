#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/check.sh: how fast and how big a full `nesdoctor check` is, with
# every layer real (the end-to-end world of tests/e2e: pcscd + vpcd + an
# AKIS virtual card, SoftHSM2 holding a qualified test certificate, the test
# PKI with OCSP and HTTP on loopback in private namespaces). Not part of
# ctest: numbers, not assertions, plus a line per target met or missed.
#
#   ND_BIN=build-test/nesdoctor ND_BUILD=build-test ND_SRC=. bash bench/check.sh [RUNS]
#
# Targets (a person waits for `check`; a fleet script runs it on every machine):
#   check, online, median      <= 1000 ms
#   readers, median            <=  200 ms
#   peak memory of check       <=   64 MiB (nesdoctor and its children)
set -u
: "${ND_BIN:?}" "${ND_BUILD:?}" "${ND_SRC:?}"
RUNS=${1:-15}
export RIG_TIMEOUT=${RIG_TIMEOUT:-240}
. "$ND_SRC/tests/e2e/lib.sh" || exit 1
rig_enter_ns "$@"
e2e_world >/dev/null
e2e_token rsa good-rsa >/dev/null
e2e_use rsa
e2e_card "$UEKAE" >/dev/null

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# time_runs ARGS...: RUNS runs, the median wall time in ms
time_runs() {
	local i t0
	for ((i = 0; i < RUNS; i++)); do
		t0=$(date +%s%N)
		"$ND_BIN" "$@" >/dev/null 2>&1
		echo $((($(date +%s%N) - t0) / 1000000))
	done | median
}
# peak_kib ARGS...: the largest resident set of nesdoctor and the children it
# waited for (getrusage RUSAGE_CHILDREN from a wrapper)
peak_kib() {
	python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$ND_BIN" "$@"
}

# shellcheck disable=SC2046
OPTS=$(nd_opts bench)
"$ND_BIN" check --json $OPTS > "$RIG_WORK/first.json"   # fills the CA cache
verdict=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$RIG_WORK/first.json")
# shellcheck disable=SC2086
check_ms=$(time_runs check --json $OPTS)
# shellcheck disable=SC2086
offline_ms=$(time_runs check --json --offline $OPTS)
readers_ms=$(time_runs readers --json)
# shellcheck disable=SC2086
peak=$(peak_kib check --json $OPTS)

echo "binary: $ND_BIN ($RUNS runs each; verdict of check: $verdict)"
printf '%-34s %8s\n' "check, online (OCSP), median" "$check_ms ms"
printf '%-34s %8s\n' "check --offline, median" "$offline_ms ms"
printf '%-34s %8s\n' "readers, median" "$readers_ms ms"
printf '%-34s %8s\n' "peak memory of check" "$((peak / 1024)) MiB"
met=0 missed=0
target() { if [ "$2" -le "$3" ]; then echo "met    - $1 ($2 <= $3)"; met=$((met + 1)); else echo "MISSED - $1 ($2 > $3)"; missed=$((missed + 1)); fi; }
target "check, online, median ms" "$check_ms" 1000
target "readers, median ms" "$readers_ms" 200
target "peak memory KiB" "$peak" $((64 * 1024))
echo "$met targets met, $missed missed"
