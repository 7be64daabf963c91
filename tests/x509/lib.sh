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

# The shared parts of the x509 shell tests (after x509_ns):
#
#   wait_ports PORT...         until each listens (10 s), else the script ends
#   check NAME EXPR            one assertion: EXPR evaluated by the shell
#   x509_t NAME ARGS... -- EXPECTATIONS...
#                              `nesdoctor verify --json --lang en ARGS`, its
#                              JSON and exit code held against EXPECTATIONS
#                              (see jcheck.py); stdin from ND_STDIN (else
#                              /dev/null); killed after T_KILL s (30), which
#                              fails; with T_MAX_MS its wall time must stay
#                              under that too. LAST_MS: the run's wall time.

wait_ports() {
	local n p
	for _ in $(seq 100); do
		n=0
		for p in "$@"; do ss -ltn | grep -q "127.0.0.1:$p \|\*:$p \|0.0.0.0:$p " && n=$((n + 1)); done
		[ "$n" -eq $# ] && return 0
		sleep 0.1
	done
	echo "servers did not start"
	ss -ltn
	exit 1
}

check() { if eval "$2"; then echo "ok   - $1"; pass=$((pass + 1)); else echo "FAIL - $1"; fail=$((fail + 1)); fi; }

x509_t() {
	local name=$1 code t0 ms kill=${T_KILL:-30} max=${T_MAX_MS:-}
	shift
	local args=()
	while [ "$1" != "--" ]; do args+=("$1"); shift; done
	shift
	t0=$(date +%s%N)
	timeout -k 2 "$kill" "$ND_BIN" verify --json --lang en "${args[@]}" \
		<"${ND_STDIN:-/dev/null}" >"$W/$name.json" 2>"$W/$name.err"
	code=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	LAST_MS=$ms
	if [ "$code" -ne 124 ] && [ "$code" -ne 137 ] && { [ -z "$max" ] || [ "$ms" -lt "$max" ]; } &&
	   python3 "$HERE/jcheck.py" "$W/$name.json" "exit=$code" "$@"; then
		echo "ok   - $name (exit $code, $ms ms${max:+ < $max ms})"
		pass=$((pass + 1))
	else
		{ [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; } && echo "  hung: killed after $kill s"
		echo "FAIL - $name (exit $code, $ms ms${max:+, at most $max ms})"
		jq -c '.inventory.x509.network' "$W/$name.json" 2>/dev/null
		head -c 2000 "$W/$name.err"
		fail=$((fail + 1))
	fi
}
