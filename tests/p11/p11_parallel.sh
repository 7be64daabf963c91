#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The p11 layer has one time budget, whatever its modules do: modules are
# probed side by side (a bounded number at once), each hang is still named
# with its call, modules not probed before the budget ran out are said to
# be so (not blamed), the inventory keeps the discovery order, and a whole
# `check` where everything is slow at once (a silent pcscd, hanging modules)
# ends within about 3 x --timeout. Also: nesdoctor ended by SIGINT, SIGTERM
# or SIGHUP while a module hangs takes the module's forked helper with it.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$ND_SRC/tests/rig/rig.sh"
. "$HERE/lib.sh"
: "${ND_BADMOD:?}" "${ND_VCARD:?}"
rig_enter_ns "$@"
W=$RIG_WORK
healthy_pcsc
export NDTEST_MODE_BY_NAME=1

# copies of the test module; the mode is in the name (badmod.c)
mods() {   # mods MODE N...: --module arguments for copies badmod-MODE-N.so
	local mode=$1 n; shift
	for n in "$@"; do
		cp "$ND_BADMOD" "$W/badmod-$mode-$n.so"
		printf -- '--module\n%s\n' "$W/badmod-$mode-$n.so"
	done
}
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# --- eight modules that hang in C_Initialize, --timeout 2: one budget, not eight
mapfile -t A < <(mods hang_init 1 2 3 4 5 6 7 8)
t0=$(date +%s%N)
run_nd "$W/eight.json" tokens "${A[@]}" --timeout 2
ms=$(ms_since "$t0")
[ "$ms" -lt 6500 ] && ok "eight hanging modules: $ms ms with --timeout 2 (< 6.5 s)" ||
	bad "eight hanging modules took $ms ms with --timeout 2"
expect_rc 2 "eight hanging modules: not ready"
expect "eight hanging modules: each hang named with its call" \
	'[.inventory.modules[] | .status == "timeout" and .failed_call == "C_Initialize" and .timeout_s == 2] | length == 8 and all'
expect "eight hanging modules: discovery order kept" \
	"[.inventory.modules[].path] == [range(1; 9) | \"$W/badmod-hang_init-\(.).so\"]"
expect "eight hanging modules: p11.module fails on the first, its call named" \
	"$(st p11.module fail) and ([.checks[] | select(.id == \"p11.module\")][0].message | test(\"badmod-hang_init-1.so\") and test(\"C_Initialize\"))"

# --- completion order is not inventory order: a hang first, then working
# modules; the tokens follow the modules' order too
mapfile -t A < <(mods hang_token 1; mods ok 2; mods locked 3)
run_nd "$W/order.json" tokens "${A[@]}" --timeout 2
expect "order: modules in discovery order" \
	"[.inventory.modules[] | .path | sub(\".*/\"; \"\")] == [\"badmod-hang_token-1.so\", \"badmod-ok-2.so\", \"badmod-locked-3.so\"]"
expect "order: statuses" '[.inventory.modules[].status] == ["timeout", "ok", "ok"]'
expect "order: tokens in module order (the hung module's token info never came)" \
	"[.inventory.tokens[] | .module | sub(\".*/\"; \"\")] == [\"badmod-ok-2.so\", \"badmod-locked-3.so\"]"

# --- more modules than run at once, all hanging: those started when the
# budget is spent are "not probed", not failures of theirs
mapfile -t A < <(mods hang_init 1 2 3 4 5 6 7 8 9 10)
t0=$(date +%s%N)
run_nd "$W/ten.json" tokens "${A[@]}" --timeout 1
ms=$(ms_since "$t0")
[ "$ms" -lt 3500 ] && ok "ten hanging modules: $ms ms with --timeout 1" || bad "ten hanging modules took $ms ms with --timeout 1"
expect "ten: eight hung, two not probed, in that order" \
	'[.inventory.modules[].status] == ([range(8) | "timeout"] + [range(2) | "not_probed"])'
expect "ten: not probed is said as such" \
	'.inventory.modules[9] | .error_kind == "time_ran_out" and .error == "the time for modules ran out" and .failed_call == null'
expect "ten: p11.module blames a hanging module, not an unprobed one" \
	"$(st p11.module fail) and ([.checks[] | select(.id == \"p11.module\")][0].message | test(\"badmod-hang_init-1.so\"))"

# --- working modules are not probed at the same time: the next starts when
# the last ends (or has been busy for a while, which these are not), so
# that two modules never talk to one card at once
mapfile -t A < <(mods ok 1 2 3 4)
rm -f "$W/trace"
NDTEST_TRACE=$W/trace NDTEST_BUSY_MS=80 run_nd "$W/seq.json" tokens "${A[@]}" --timeout 10
expect "four working modules, each busy 80 ms: all ok" '[.inventory.modules[].status] | all(. == "ok")'
if python3 - "$W/trace" <<'PY'
import sys
ev = [l.split() for l in open(sys.argv[1])]
spans = {}
for what, pid, ms in ev:
    spans.setdefault(pid, {})[what] = int(ms)
iv = sorted((s["init"], s["fini"]) for s in spans.values() if "init" in s and "fini" in s)
sys.exit(0 if len(iv) == 4 and all(a[1] <= b[0] for a, b in zip(iv, iv[1:])) else 1)
PY
then ok "four working modules: one after another, never two at once"
else bad "four working modules ran at the same time"; cat "$W/trace"; fi

# only unprobed copies next to a working one: the working one passes
mapfile -t A < <(mods ok 1 2 3 4 5 6 7 8 9)
run_nd "$W/nine.json" tokens "${A[@]}" --timeout 2
expect "nine working modules: all probed within the budget" \
	'[.inventory.modules[].status] | all(. == "ok")'

# --- everything slow at once: a pcscd that never answers, hanging modules
# (no certificate then, so no network): check within about 3 x --timeout
rig_pcscd_stop
rig_fake_pcscd silent
mapfile -t A < <(mods hang_init 1 2 3 4 5 6 7 8)
t0=$(date +%s%N)
run_nd "$W/slow.json" check "${A[@]}" --timeout 2
ms=$(ms_since "$t0")
[ "$ms" -lt 6500 ] && ok "check, all slow: $ms ms with --timeout 2 (< 3 x)" || bad "check, all slow, took $ms ms with --timeout 2"
expect "check, all slow: pcscd named as not answering" ".inventory.pcsc.service == \"no_answer\" and $(st pcsc.service fail)"
expect "check, all slow: each module's hang named" \
	'[.inventory.modules[] | .status == "timeout" and .failed_call == "C_Initialize"] | length == 8 and all'
expect "check, all slow: verdict not ready" '.verdict == "not_ready"'
rig_pcscd_stop   # the fake one
healthy_pcsc

# --- nesdoctor ended by a signal while a module hangs: the helper the
# module forked goes too, and nesdoctor ends of that signal, at once
ends_with() {   # ends_with SIGNAL: run, signal it while C_Initialize hangs
	local sig=$1 pidfile="$W/helper-$1.pid" pid rc hp i
	rm -f "$pidfile"
	cp "$ND_BADMOD" "$W/badmod-fork_hang-$sig.so"
	# a background job of a script starts with SIGINT ignored: exec from
	# a shell that gives back the default action
	NDTEST_PIDFILE=$pidfile python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$ND_BIN" tokens --module "$W/badmod-fork_hang-$sig.so" --timeout 30 --json \
		> "$W/sig-$sig.json" 2>&1 &
	pid=$!
	for ((i = 0; i < 100; i++)); do [ -s "$pidfile" ] && break; sleep 0.05; done
	hp=$(cat "$pidfile" 2>/dev/null || echo)
	[ -n "$hp" ] || { bad "$sig: the helper never started"; kill -9 "$pid"; return; }
	sleep 0.2
	t0=$(date +%s%N)
	kill -s "$sig" "$pid"
	set +e
	wait "$pid"
	rc=$?
	set -e
	ms=$(ms_since "$t0")
	[ "$rc" -eq $((128 + $(kill -l "$sig"))) ] && ok "$sig: nesdoctor ended of $sig (exit $rc)" ||
		bad "$sig: exit $rc, expected $((128 + $(kill -l "$sig")))"
	[ "$ms" -lt 1500 ] && ok "$sig: at once ($ms ms)" || bad "$sig: took $ms ms"
	# up to 5 s under load; the helper itself would live 30 s, so a
	# helper that was never killed still fails here
	for ((i = 0; i < 100; i++)); do
		[ -r "/proc/$hp/stat" ] && [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$hp/stat")" != Z ] || break
		sleep 0.05
	done
	if [ -r "/proc/$hp/stat" ] && [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$hp/stat" 2>/dev/null)" != Z ]; then
		bad "$sig: the module's helper (pid $hp) outlived nesdoctor"
		kill -9 "$hp" 2>/dev/null || true
	else
		ok "$sig: the module's helper is gone"
	fi
}
ends_with INT
ends_with TERM
ends_with HUP
finish
