#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# contrib/prometheus/nesdoctor-rules.yml: promtool checks the rules and
# runs their unit tests (nesdoctor-rules.test.yml: not ready, certificate
# within 30 days, PIN on its final try or locked, stale textfile).
set -u
: "${ND_SRC:?}"
if ! command -v promtool > /dev/null; then
	echo "FAIL: promtool is not installed (Debian package prometheus, in tools/deps-test.txt)"
	exit 1
fi
cd "$ND_SRC/contrib/prometheus" || exit 1
rc=0
promtool check rules nesdoctor-rules.yml || rc=1
promtool test rules nesdoctor-rules.test.yml || rc=1
[ $rc -eq 0 ] && echo "2 passed, 0 failed" || echo "FAIL: promtool"
exit $rc
