# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the integration tests: a private PC/SC world for one test.
#
#   rig_enter_ns "$@"      re-run the calling script inside private mount,
#                          network and PID namespaces (root, or a user
#                          namespace otherwise), bounded by RIG_TIMEOUT s:
#                          only "lo" exists (vpcd's listener stays private),
#                          /run/pcscd is a private tmpfs (pcscd hard-codes its
#                          socket there), every process dies with the script.
#   rig_pcscd [N]          start pcscd: N=1 (default) with the vpcd driver,
#                          which gives two readers, "Virtual PCD 00 00" (cards
#                          connect on port 35963) and "Virtual PCD 00 01"
#                          (35964); N=0 with no reader at all.
#   rig_pcscd_stop         stop that pcscd (its readers go away).
#   rig_vcard PORT ARGS... start tests/rig/vcard for the reader on PORT
#                          (RIG_LAST_PID: signal it to remove/insert).
#   rig_fake_pcscd MODE    a fake daemon on pcscd's socket: refuse (polkit),
#                          mismatch (protocol version), silent (hangs).
#   rig_bg LOG cmd...      start a helper in the background, remembered.
#   rig_cleanup            stop everything started here.
#
# Never touches a system pcscd or a real reader: pcscd gets its own config
# folder with only vpcd entries and never sees the host's /run/pcscd.
#
# Only one vpcd entry per pcscd: the vpcd driver keeps its state per slot
# number, so two vpcd devices in one pcscd mix up their cards (seen with
# vsmartcard-vpcd 3.3). Two readers are what the driver gives per entry.

RIG_PIDS=""
RIG_WORK=""
RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

rig_enter_ns() {
	if [ -z "${RIG_IN_NS:-}" ]; then
		local u=""
		[ "$(id -u)" -ne 0 ] && u="-r"
		export RIG_IN_NS=1
		exec timeout -k 5 "${RIG_TIMEOUT:-120}" \
			unshare $u --mount --net --pid --fork --kill-child --mount-proc -- \
			bash "$0" "$@"
	fi
	ip link set lo up
	if [ -d /run/pcscd ]; then mount -t tmpfs -o mode=755 tmpfs /run/pcscd
	else mount -t tmpfs -o mode=755 tmpfs /run; mkdir -p /run/pcscd; fi
	RIG_WORK=$(mktemp -d "${TMPDIR:-/tmp}/nd-rig.XXXXXX")
	trap rig_cleanup EXIT
}

rig_bg() {
	local log=$1; shift
	"$@" >"$log" 2>&1 &
	RIG_LAST_PID=$!
	RIG_PIDS="$RIG_PIDS $RIG_LAST_PID"
}

# Mount points at or below RIG_WORK, deepest first.
rig_mounts_below_work() {
	awk -v w="$RIG_WORK" '$5 == w || index($5, w "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

rig_cleanup() {
	local p m
	for p in $RIG_PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $RIG_PIDS; do wait "$p" 2>/dev/null || true; done
	RIG_PIDS=""
	[ -n "$RIG_WORK" ] && [ -z "${RIG_KEEP:-}" ] || return 0
	# Never delete through a mount: a test that bound a system folder below
	# RIG_WORK and stopped before unmounting it would otherwise have rm -rf
	# delete the real files (it happened to the vpcd driver).
	for m in $(rig_mounts_below_work); do umount -l "$m" 2>/dev/null || true; done
	if [ -n "$(rig_mounts_below_work)" ]; then
		echo "rig: $RIG_WORK still has mounts below it; left in place" >&2
		return 0
	fi
	rm -rf --one-file-system "$RIG_WORK"
}

# Wait (at most 10 s) until something listens on pcscd's socket.
rig_wait_socket() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ -S /run/pcscd/pcscd.comm ] && return 0
		sleep 0.05
	done
	echo "rig: nothing listens on /run/pcscd/pcscd.comm" >&2
	return 1
}

RIG_VPCD_LIB=/usr/lib/pcsc/drivers/serial/libifdvpcd.so

rig_pcscd() {
	local n=${1:-1} conf="$RIG_WORK/reader.conf.d"
	if [ "$n" -gt 0 ] && [ ! -e "$RIG_VPCD_LIB" ]; then
		echo "rig: the vpcd driver $RIG_VPCD_LIB is missing (package vsmartcard-vpcd)" >&2
		return 1
	fi
	mkdir -p "$conf"
	rm -f /run/pcscd/pcscd.comm
	if [ "$n" -gt 0 ]; then
		cat > "$conf/vpcd" <<EOF2
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:35963
LIBPATH      $RIG_VPCD_LIB
CHANNELID    35963
EOF2
	fi
	rig_bg "$RIG_WORK/pcscd.log" pcscd --foreground --debug --apdu --config "$conf"
	RIG_PCSCD_PID=$RIG_LAST_PID
	rig_wait_socket
	sleep 0.2   # the readers come up a few ms after the socket
}

rig_pcscd_stop() {
	kill "$RIG_PCSCD_PID" 2>/dev/null || true
	wait "$RIG_PCSCD_PID" 2>/dev/null || true
	rm -f /run/pcscd/pcscd.comm
}

rig_vcard() {
	local port=$1; shift
	rig_bg "$RIG_WORK/vcard-$port.log" "${ND_BUILD:?}/tests/rig/vcard" -p "$port" \
		-t "${RIG_TIMEOUT:-120}" -v "$@"
}

rig_fake_pcscd() {
	rm -f /run/pcscd/pcscd.comm
	rig_bg "$RIG_WORK/fake_pcscd.log" python3 "$RIG_DIR/fake_pcscd.py" "$1"
	rig_wait_socket
}

rig_pcscd_log() { cat "$RIG_WORK/pcscd.log"; }

# rig_module softhsm|opensc: the path of that PKCS#11 module, Debian's usual
# place first, else wherever the package put it for this architecture;
# empty when the package is not installed.
rig_module() {
	local pkg lib path
	case $1 in
	softhsm) pkg=libsofthsm2 lib=libsofthsm2.so path=/usr/lib/softhsm/libsofthsm2.so ;;
	opensc) pkg=opensc-pkcs11 lib=opensc-pkcs11.so path=/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so ;;
	*) return 1 ;;
	esac
	[ -e "$path" ] || path=$(dpkg -L "$pkg" 2>/dev/null | grep "/${lib//./\\.}\$" | head -1)
	echo "$path"
}
