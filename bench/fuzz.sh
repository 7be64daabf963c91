#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/fuzz.sh BUILD_DIR [SECONDS] [REGEX]: run every libFuzzer harness of a
# -DND_FUZZ=ON build for SECONDS each (default 60), longer than ctest does,
# from the committed seeds (read only; new inputs go to a temporary folder),
# and print the coverage each reached (libFuzzer's final "cov:" edges and
# "ft:" features). Crash artifacts land in the current folder.
#   bash bench/fuzz.sh build-test 300
#   bash bench/fuzz.sh build-test 60 x509
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
B=${1:?usage: fuzz.sh BUILD_DIR [SECONDS] [REGEX]} S=${2:-60} RE=${3:-.}
W=$(mktemp -d "${TMPDIR:-/tmp}/nd-fuzz.XXXXXX")
trap 'rm -rf "$W"' EXIT
rc=0
printf '%-22s %8s %8s %12s %s\n' harness cov ft execs result
for bin in "$B"/tests/fuzz/fuzz_*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	name=$(basename "$bin")
	echo "$name" | grep -Eq "$RE" || continue
	mkdir -p "$W/$name"
	ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$S" -rss_limit_mb=2048 -timeout=10 \
		-print_final_stats=1 "$W/$name" "$HERE/../tests/fuzz/corpus/$name" >"$W/$name.log" 2>&1
	r=$?
	[ $r -ne 0 ] && rc=1
	last=$(grep -E '^#[0-9]+.*cov:' "$W/$name.log" | tail -1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$W/$name.log")
	printf '%-22s %8s %8s %12s %s\n' "$name" "${cov:-?}" "${ft:-?}" "${execs:-?}" \
		"$([ $r -eq 0 ] && echo ok || echo "FAILED (exit $r, see below)")"
	[ $r -ne 0 ] && tail -30 "$W/$name.log"
done
exit $rc
