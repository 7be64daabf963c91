# Sourced by the integration tests: a private PC/SC world for one test.
#
#   rig_enter_ns "$@"      re-run the calling script inside private mount,
#                          network and PID namespaces (root, or a user
#                          namespace otherwise), bounded by RIG_TIMEOUT s:
#                          only "lo" exists (vpcd's listener stays private),
#                          /run/pcscd is a private tmpfs (pcscd hard-codes its
#                          socket there), every process dies with the script.
#   rig_pcscd [N]          start pcscd with N vpcd readers (default 1; 0 = no
#                          readers at all) and wait until they are listed.
#   rig_bg LOG cmd...      start a helper in the background, remembered.
#   rig_cleanup            stop everything started here.
#
# Never touches a system pcscd or a real reader: pcscd gets its own config
# folder with only vpcd entries and never sees the host's /run/pcscd.

RIG_PIDS=""
RIG_WORK=""

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

rig_cleanup() {
	local p
	for p in $RIG_PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $RIG_PIDS; do wait "$p" 2>/dev/null || true; done
	RIG_PIDS=""
	if [ -n "$RIG_WORK" ] && [ -z "${RIG_KEEP:-}" ]; then rm -rf "$RIG_WORK"; fi
}

# rig_pcscd [N]: vpcd readers "Virtual PCD 00 00", "Virtual PCD 00 01", ...
# listening on 35963, 35964, ... (vpcd gives each DEVICENAME two slots;
# one entry per reader keeps it simple: port 35963 + 2*i).
rig_pcscd() {
	local n=${1:-1} i conf="$RIG_WORK/reader.conf.d"
	mkdir -p "$conf"
	for ((i = 0; i < n; i++)); do
		cat > "$conf/vpcd$i" <<EOF2
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:$((35963 + 2 * i))
LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
CHANNELID    $((35963 + 2 * i))
EOF2
	done
	rig_bg "$RIG_WORK/pcscd.log" pcscd --foreground --debug --apdu --config "$conf"
	RIG_PCSCD_PID=$RIG_LAST_PID
	# wait for the socket (and the readers) for at most 10 s
	for ((i = 0; i < 100; i++)); do
		[ -S /run/pcscd/pcscd.comm ] && break
		sleep 0.1
	done
	sleep 0.3
}

rig_pcscd_log() { cat "$RIG_WORK/pcscd.log"; }
