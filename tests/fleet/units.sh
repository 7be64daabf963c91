#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The systemd units as installed (ExecStart pointed at the built binary):
# systemd-analyze verify says nothing, not even a warning (it exits 0 on
# unknown keys and bad values, so its output is what counts); the service
# is a oneshot whose not-ready exits (1 2 3) are success, the timer hourly
# and persistent, and neither is enabled by anything we install.
set -u
: "${ND_BIN:?}" "${ND_BUILD:?}" "${ND_SRC:?}"
T_PASS=0 T_FAIL=0
ok() { echo "ok   - $*"; T_PASS=$((T_PASS + 1)); }
bad() { echo "FAIL - $*"; T_FAIL=$((T_FAIL + 1)); }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
svc=$ND_BUILD/systemd/nesdoctor-textfile.service tmr=$ND_SRC/systemd/nesdoctor-textfile.timer

grep -q '^Type=oneshot$' "$svc" && ok "service: a oneshot" || bad "service: not Type=oneshot"
grep -q '^SuccessExitStatus=1 2 3$' "$svc" && ok "service: a not-ready verdict does not fail the unit" ||
	bad "service: no SuccessExitStatus=1 2 3"
grep -q '^ExecStart=.*/nesdoctor check .*--textfile-dir /var/lib/prometheus/node-exporter$' "$svc" &&
	ok "service: writes Debian's textfile folder" || bad "service: ExecStart"
for k in ProtectSystem=strict ReadWritePaths=/var/lib/prometheus/node-exporter PrivateTmp=yes NoNewPrivileges=yes; do
	grep -qx "$k" "$svc" && ok "service: $k" || bad "service: no $k"
done
grep -qx 'PrivateDevices=yes' "$svc" && bad "service: PrivateDevices hides the USB devices" ||
	ok "service: the USB devices stay visible"
grep -qx 'OnCalendar=hourly' "$tmr" && grep -qx 'Persistent=true' "$tmr" && grep -q '^RandomizedDelaySec=' "$tmr" &&
	ok "timer: hourly, persistent, spread" || bad "timer: OnCalendar/Persistent/RandomizedDelaySec"
grep -q '^\[Install\]' "$svc" && bad "service: has an [Install] section (only the timer is enabled)" ||
	ok "service: no [Install] section"

if ! command -v systemd-analyze > /dev/null; then
	echo "SKIP: systemd-analyze is not installed: units not verified"
else
	sed "s|^ExecStart=[^ ]*|ExecStart=$ND_BIN|" "$svc" > "$t/nesdoctor-textfile.service"
	cp "$tmr" "$t/"
	(cd "$t" && systemd-analyze verify --man=no ./nesdoctor-textfile.service ./nesdoctor-textfile.timer) > "$t/out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && [ ! -s "$t/out" ]; then ok "systemd-analyze verify: clean"
	else bad "systemd-analyze verify (exit $rc):"; sed 's/^/    | /' "$t/out"; fi
fi
echo "$T_PASS passed, $T_FAIL failed"
[ "$T_FAIL" -eq 0 ]
