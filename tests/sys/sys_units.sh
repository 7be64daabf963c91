#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pcscd.socket and pcscd.service as systemd reports them: a fake systemctl
# first on PATH (it logs each start and answers like systemd 252 for `show`,
# `is-enabled` and `is-active`), and /run/systemd/system made in this
# script's private mount namespace so that the collector sees systemd.
# One systemctl run per check (one `show` for both units, not four
# is-enabled/is-active runs); enabled, disabled, masked, not-found units,
# blocks in any order, hostile output and a systemctl that hangs give the
# same socket_unit/service_unit values as before; sys.pcscd on a masked one.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
[ -n "${RIG_IN_NS:-}" ] || { echo "not in a private namespace" >&2; exit 1; }
# /run here is the namespace's: a tmpfs over /run/systemd when the host has
# one, else a fresh /run (the real /run is never written)
if [ -d /run/systemd ]; then mount -t tmpfs -o mode=755 tmpfs /run/systemd
else mount -t tmpfs -o mode=755 tmpfs /run; mkdir -p /run/pcscd; fi
mkdir -p /run/systemd/system
mkdir -p "$W/bin" "$W/units" "$W/home"
export FAKE_LOG=$W/systemctl.log FAKE_UNITS=$W/units
cat > "$W/bin/systemctl" <<'SH'
#!/bin/bash
# FAKE_UNITS/UNIT: "LOAD FILE ACTIVE" ("-": empty); no file: not-found
printf '%s\n' "$*" >> "$FAKE_LOG"
[ -n "${FAKE_SLEEP:-}" ] && sleep "$FAKE_SLEEP"
verb="" units=()
for a in "$@"; do
	case $a in -*) ;; *) if [ -z "$verb" ]; then verb=$a; else units+=("$a"); fi ;; esac
done
state() {
	load=not-found file=- active=inactive
	[ -f "$FAKE_UNITS/$1" ] && read -r load file active < "$FAKE_UNITS/$1"
	[ "$file" = - ] && file=""
}
case $verb in
show)
	if [ "${FAKE_MODE:-}" = hostile ]; then
		printf 'Id=evil.service\nUnitFileState=masked\nActiveState=active\n\n'
		printf 'no equals sign here\nId=pcscd.socket\nUnitFileState=ena\033bled\nActiveState=active\nLoadState=loaded\n\n'
		printf 'Id=pcscd.service\nLoadState=loaded\nUnitFileState=%s\nActiveState=active\n' "$(printf 'e%.0s' {1..200})"
		exit 0
	fi
	# blocks in the reverse order of the arguments, properties shuffled:
	# the reader must go by Id=
	for ((i = ${#units[@]} - 1; i >= 0; i--)); do
		state "${units[i]}"
		printf 'ActiveState=%s\nUnitFileState=%s\nId=%s\nLoadState=%s\n' "$active" "$file" "${units[i]}" "$load"
		[ "$i" -gt 0 ] && echo
	done
	exit 0 ;;
is-enabled)
	state "${units[0]}"
	[ -z "$file" ] && [ "$load" = masked ] && file=masked
	if [ -z "$file" ]; then
		echo "Failed to get unit file state for ${units[0]}: No such file or directory" >&2
		exit 1
	fi
	echo "$file"
	case $file in enabled | enabled-runtime | static | indirect | generated | alias | transient) exit 0 ;; esac
	exit 1 ;;
is-active)
	state "${units[0]}"
	echo "$active"
	[ "$active" = active ] && exit 0
	exit 3 ;;
esac
echo "fake systemctl: $verb not faked" >&2
exit 1
SH
chmod +x "$W/bin/systemctl"

nd() { # nd OUT SOCKET-STATE SERVICE-STATE [env...]
	local out=$1 so=$2 se=$3
	shift 3
	rm -f "$W/units/"* "$FAKE_LOG"
	[ "$so" = none ] || echo "$so" > "$W/units/pcscd.socket"
	[ "$se" = none ] || echo "$se" > "$W/units/pcscd.service"
	env -u XDG_SESSION_ID PATH="$W/bin:$PATH" HOME="$W/home" "$@" \
		"$ND_BIN" --json --lang en --offline --timeout 3 > "$W/$out.json"
	if [ "$(wc -l < "$FAKE_LOG" 2>/dev/null || echo 0)" -eq 1 ] &&
		grep -qx 'show --property=Id,LoadState,UnitFileState,ActiveState pcscd.socket pcscd.service' "$FAKE_LOG"; then
		ok "$out: systemctl started once (show, both units)"
	else
		bad "$out: systemctl started $(wc -l < "$FAKE_LOG" 2>/dev/null || echo 0) times:"
		cat "$FAKE_LOG" 2>/dev/null
	fi
}
units() { # units SOCKET-ENABLED SOCKET-ACTIVE SERVICE-ENABLED SERVICE-ACTIVE
	echo ".inventory.system.systemd == true and
		.inventory.system.pcscd.socket_unit == {\"enabled\":\"$1\",\"active\":\"$2\"} and
		.inventory.system.pcscd.service_unit == {\"enabled\":\"$3\",\"active\":\"$4\"}"
}
unitsdump() { jq -c '.inventory.system.pcscd | {socket_unit, service_unit}' "$W/$1.json"; }
expect() { # expect OUT S-EN S-ACT SV-EN SV-ACT
	local out=$1
	shift
	if jq -e "$(units "$@")" "$W/$out.json" > /dev/null 2>&1; then ok "$out: units $*"
	else bad "$out: units, want $*, got $(unitsdump "$out")"; fi
}
installed=$(test -x /usr/sbin/pcscd -o -x /usr/local/sbin/pcscd -o -x /sbin/pcscd && echo 1)

nd on "loaded enabled active" "loaded indirect inactive"
expect on enabled active indirect inactive
# (no pcscd answers in this namespace: an active socket is not taken for
# one that starts pcscd on demand, and the values are shown)
[ -n "$installed" ] && check on "$(st sys.pcscd fail) and $(msg sys.pcscd 'pcscd.socket: enabled, active')" "sys.pcscd: enabled, active"

nd off "loaded disabled inactive" "loaded disabled inactive"
expect off disabled inactive disabled inactive
[ -n "$installed" ] && check off "$(st sys.pcscd fail) and $(msg sys.pcscd 'pcscd.socket: disabled, inactive')" "sys.pcscd: disabled"

nd masked "masked masked inactive" "masked masked inactive"
expect masked masked inactive masked inactive
if [ -n "$installed" ]; then
	check masked "$(st sys.pcscd fail) and $(msg sys.pcscd '^pcscd cannot start: pcscd.socket is masked$') and
		$(rem sys.pcscd 'sudo systemctl unmask pcscd.socket pcscd.service')" "sys.pcscd: masked"
else echo "# skip: pcscd not installed, sys.pcscd not judged"; fi

# masked with no unit file state: LoadState says it
nd masked2 "masked - inactive" "masked - inactive"
expect masked2 masked inactive masked inactive

# no such units: is-enabled printed nothing (unknown), is-active "inactive"
nd notfound none none
expect notfound unknown inactive unknown inactive
[ -n "$installed" ] && check notfound "$(st sys.pcscd fail) and $(msg sys.pcscd 'pcscd.socket: unknown, inactive')" "sys.pcscd: units not found"

nd mixed none "loaded enabled active"
expect mixed unknown inactive enabled active

# a block for another unit, a line with no '=', a control character and an
# overlong value: only well-formed state names are taken
nd hostile "loaded enabled active" "loaded enabled active" FAKE_MODE=hostile
expect hostile unknown active unknown active

# a systemctl that hangs: stopped at the command's time limit (here
# --timeout 1), "timeout" everywhere
rm -f "$W/units/"* "$FAKE_LOG"
t0=$(date +%s%N)
env -u XDG_SESSION_ID PATH="$W/bin:$PATH" HOME="$W/home" FAKE_SLEEP=30 \
	"$ND_BIN" --json --lang en --offline --timeout 1 > "$W/hang.json"
ms=$((($(date +%s%N) - t0) / 1000000))
expect hang timeout timeout timeout timeout
if [ "$(wc -l < "$FAKE_LOG")" -eq 1 ]; then ok "hang: systemctl started once"
else bad "hang: systemctl started $(wc -l < "$FAKE_LOG") times"; fi
echo "# hang: the run took $ms ms"

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
