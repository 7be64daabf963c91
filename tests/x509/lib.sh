# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the x509 shell tests that run servers: the private world they
# share (read by each after `. "$HERE/lib.sh"`).
#
#   x509_ns SECONDS NAME "$@"  re-run the calling script inside private
#                              network, mount and PID namespaces (a user
#                              namespace when not root), bounded by SECONDS;
#                              inside: lo up, a work folder W (nd-NAME.*),
#                              the counters pass and fail, and a cleanup on
#                              exit that stops what bg started and removes W
#                              (kept with ND_KEEP=1 when something failed).
#                              Only "lo" exists: servers bound to every
#                              interface stay private, and every process
#                              dies with the script.
#   bg LOG cmd...              start a server in the background, remembered

x509_ns() {
	local secs=$1 name=$2 u=""
	shift 2
	if [ -z "${ND_X509_IN_NS:-}" ]; then
		[ "$(id -u)" -ne 0 ] && u="-r"
		export ND_X509_IN_NS=1
		exec timeout -k 5 "$secs" unshare $u --net --mount --pid --fork --kill-child --mount-proc -- \
			bash "$0" "$@"
	fi
	ip link set lo up
	W=$(mktemp -d "${TMPDIR:-/tmp}/nd-$name.XXXXXX")
	PIDS=""
	pass=0 fail=0
	trap x509_cleanup EXIT
}

x509_cleanup() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	if [ "$fail" -eq 0 ] || [ -z "${ND_KEEP:-}" ]; then rm -rf "$W"; else echo "kept $W"; fi
}

bg() { local log=$1; shift; "$@" >"$log" 2>&1 & PIDS="$PIDS $!"; }
