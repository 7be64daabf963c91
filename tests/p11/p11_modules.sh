#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Modules that hang, crash, exit, refuse, return garbage, miss a library or
# are built for another machine: nesdoctor always finishes, names the call,
# and tells the person what to do. Runs in the rig with a healthy PC/SC
# world (a reader with an AKIS card), so the primary cause is the p11 one.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$ND_SRC/tests/rig/rig.sh"
. "$HERE/lib.sh"
: "${ND_BADMOD:?}" "${ND_NEEDSGONE:?}" "${ND_VCARD:?}"
rig_enter_ns "$@"
W=$RIG_WORK
healthy_pcsc

tokens() { run_nd "$W/$1.json" tokens --module "$2" "${@:3}"; }

# --- a module that works, and one that refuses initialisation arguments
NDTEST_MODE=ok tokens ok "$ND_BADMOD"
expect "ok: p11.module passes" "$(st p11.module pass)"
expect "ok: C_Initialize(NULL) first" '.inventory.modules[0].init.call == "C_Initialize(NULL)"'
expect "ok: the slot is matched to the PC/SC reader" '.inventory.tokens[0].reader == "Virtual PCD 00 00"'
expect "ok: AKIS_ label -> device akis" '.inventory.tokens[0].device == "akis"'
expect "ok: token flags are booleans" '.inventory.tokens[0].flags.user_pin_initialized == true and .inventory.tokens[0].flags.user_pin_locked == false'
expect "ok: C_Finalize called" '.inventory.modules[0].finalize == "CKR_OK"'

NDTEST_MODE=init_args tokens init_args "$ND_BADMOD"
expect "init_args: module rejecting CKF_OS_LOCKING_OK still works" "$(st p11.module pass) and .inventory.modules[0].init.call == \"C_Initialize(NULL)\""

NDTEST_MODE=init_fail tokens init_fail "$ND_BADMOD"
expect_rc 2 "init_fail: not ready"
expect "init_fail: primary cause p11.module" '.primary_cause == "p11.module"'
expect "init_fail: status init_failed, the fallback was tried" '.inventory.modules[0].status == "init_failed" and .inventory.modules[0].init.call == "C_Initialize(CKF_OS_LOCKING_OK)" and .inventory.modules[0].init.rv_null == "CKR_GENERAL_ERROR"'
expect "init_fail: remedy names pcscd" '[.checks[] | select(.id == "p11.module")][0].remedy | test("pcscd")'

# --- hangs: killed after --timeout, the call named
t0=$(date +%s%N)
NDTEST_MODE=hang_init tokens hang_init "$ND_BADMOD" --timeout 1
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_rc 2 "hang_init: not ready"
expect "hang_init: status timeout in C_Initialize" '.inventory.modules[0].status == "timeout" and .inventory.modules[0].failed_call == "C_Initialize"'
expect "hang_init: the person reads which call hung" '[.checks[] | select(.id == "p11.module")][0].message | test("C_Initialize")'
[ "$ms" -lt 4000 ] && ok "hang_init: finished in $ms ms (--timeout 1)" || bad "hang_init took $ms ms"

NDTEST_MODE=hang_token tokens hang_token "$ND_BADMOD" --timeout 1
expect "hang_token: timeout in C_GetTokenInfo(slot 7)" '.inventory.modules[0].status == "timeout" and .inventory.modules[0].failed_call == "C_GetTokenInfo(slot 7)"'
expect "hang_token: what was learned before the hang is kept" '.inventory.modules[0].slots[0].description == "Virtual PCD 00 00"'
expect "hang_token: primary p11.module with a remedy" '.primary_cause == "p11.module" and ([.checks[] | select(.id == "p11.module")][0].remedy | test("pcscd"))'

# --- crash and exit
NDTEST_MODE=crash_slots tokens crash "$ND_BADMOD"
expect "crash: SIGSEGV in C_GetSlotList" '.inventory.modules[0].status == "crashed" and .inventory.modules[0].signal == "SIGSEGV" and .inventory.modules[0].failed_call == "C_GetSlotList"'
expect "crash: message names signal and call" '[.checks[] | select(.id == "p11.module")][0].message | test("SIGSEGV") and test("C_GetSlotList")'

NDTEST_MODE=exit_init tokens exit "$ND_BADMOD"
expect "exit: module ending the process is reported" '.inventory.modules[0].status == "exited" and .inventory.modules[0].exit_code == 3 and .primary_cause == "p11.module"'

# --- a module that forks a helper (a vendor "daemon" without setsid) which
# keeps the probe's pipe open: the probe ends when the child exits, not when
# the pipe closes, and the helper goes with the child's process group
t0=$(date +%s%N)
NDTEST_MODE=fork_init NDTEST_PIDFILE="$W/helper.pid" tokens fork_init "$ND_BADMOD" --timeout 5
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 2000 ] && ok "fork_init: finished in $ms ms (--timeout 5)" || bad "fork_init took $ms ms (--timeout 5)"
expect "fork_init: reported as a working module, not a timeout in C_Finalize" '.inventory.modules[0].status == "ok" and .inventory.modules[0].finalize == "CKR_OK" and (.inventory.modules[0].failed_call == null)'
expect "fork_init: p11.module passes" "$(st p11.module pass)"
hp=$(cat "$W/helper.pid" 2>/dev/null || echo)
helper_runs() {   # alive and not a zombie waiting to be reaped
	[ -n "$hp" ] && [ -r "/proc/$hp/stat" ] && [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$hp/stat" 2>/dev/null)" != Z ]
}
for ((i = 0; i < 20; i++)); do helper_runs || break; sleep 0.05; done
if [ -z "$hp" ]; then bad "fork_init: the helper wrote no pidfile"
elif helper_runs; then bad "fork_init: the helper (pid $hp) outlived nesdoctor"; kill -9 "$hp"
else ok "fork_init: the helper is gone"; fi

# --- a module that starts a proper daemon (fork, setsid, fork again): out of
# the probe's process group, it is ended when the probe's run ends
rm -f "$W/daemon.pid"
t0=$(date +%s%N)
NDTEST_MODE=daemon_init NDTEST_PIDFILE="$W/daemon.pid" tokens daemon_init "$ND_BADMOD" --timeout 5
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 2000 ] && ok "daemon_init: finished in $ms ms (--timeout 5)" || bad "daemon_init took $ms ms (--timeout 5)"
expect "daemon_init: a working module" '.inventory.modules[0].status == "ok"'
hp=$(cat "$W/daemon.pid" 2>/dev/null || echo)
for ((i = 0; i < 20; i++)); do helper_runs || break; sleep 0.05; done
if [ -z "$hp" ]; then bad "daemon_init: the daemon wrote no pidfile"
elif helper_runs; then bad "daemon_init: the daemon (pid $hp) outlived nesdoctor"; kill -9 "$hp"
else ok "daemon_init: the daemon is gone"; fi

# --- garbage
NDTEST_MODE=garbage tokens garbage "$ND_BADMOD"
expect "garbage: label cut at its NUL" '.inventory.tokens[0].label == "AKIS_"'
expect "garbage: anomalies named" '.inventory.tokens[0].anomalies as $a | ["label.garbage_after_nul", "manufacturer.invalid_utf8", "manufacturer.control_characters", "serial.invalid_utf8", "model.not_blank_padded", "pin_length.absurd", "flags.high_bits", "mechanism_count.absurd", "object.value.absurd_length"] | all(. as $x | $a | index($x))'
expect "garbage: strings cleaned (U+FFFD, no escape byte)" '(.inventory.tokens[0].manufacturer | test("\ufffd")) and (.inventory.tokens[0].manufacturer | test("\u001b") | not)'
expect "garbage: p11.token warns" "$(st p11.token warn)"
expect "garbage: mechanisms still read (count capped)" '.inventory.tokens[0].mechanisms | length == 3'

NDTEST_MODE=bts_loop tokens bts "$ND_BADMOD"
expect "bts_loop: BUFFER_TOO_SMALL loop bounded and named" '.inventory.modules[0].anomalies | any(. == "slot_list.buffer_too_small_loop")'
expect "bts_loop: p11.module fails" "$(st p11.module fail) and .primary_cause == \"p11.module\""

NDTEST_MODE=holes tokens holes "$ND_BADMOD"
expect "holes: missing C_GetTokenInfo is an answer, not a crash" '.inventory.modules[0].status == "ok" and .inventory.tokens[0].error.rv == "CKR_FUNCTION_NOT_SUPPORTED"'
expect "holes: p11.token fails" "$(st p11.token fail)"

NDTEST_MODE=locked tokens locked "$ND_BADMOD"
expect "locked: p11.pin fails, primary cause" "$(st p11.pin fail) and .primary_cause == \"p11.pin\""
expect "locked: remedy is Kamu SM's unblock" '[.checks[] | select(.id == "p11.pin")][0].remedy | test("Kilit Çözme") and test("444 5 576")'
NDTEST_MODE=locked NESDOCTOR_PIN=1234 run_nd "$W/locked-sign.json" sign-test --module "$ND_BADMOD"
expect_rc 2 "locked: sign-test refuses"
expect "locked: sign-test skipped because of p11.pin, nothing tried" '.inventory.sign_test.status == "refused" and .inventory.sign_test.reason == "locked" and (.inventory.sign_test.login == null) and .primary_cause == "p11.pin"'

# --- loading failures
tokens gone "$ND_NEEDSGONE"
expect "missing library: named" '.inventory.modules[0].status == "load_failed" and .inventory.modules[0].dl_kind == "missing_library" and .inventory.modules[0].missing_library == "libndgone.so.1"'
expect "missing library: remedy says how to find the package" '[.checks[] | select(.id == "p11.module")][0].remedy | test("apt-file search libndgone.so.1")'

# a 32-bit i386 shared object header, and a 64-bit AArch64 one
{ printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000\003\000\003\000\001\000\000\000'; head -c 32 /dev/zero; } > "$W/libakisp11-i386.so"
{ printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000\267\000\001\000\000\000'; head -c 44 /dev/zero; } > "$W/libakisp11-arm64.so"
tokens arch32 "$W/libakisp11-i386.so"
expect "32-bit library: wrong_arch before loading" '.inventory.modules[0].status == "wrong_arch" and .inventory.modules[0].elf.bits == 32 and .inventory.modules[0].elf.machine == "i386"'
expect "32-bit library: message and remedy" '([.checks[] | select(.id == "p11.module")][0] | (.message | test("32-bit i386")) and (.remedy | test("64-bit")))'
tokens arm64 "$W/libakisp11-arm64.so"
expect "AArch64 library: wrong_arch" '.inventory.modules[0].status == "wrong_arch" and .inventory.modules[0].elf.machine == "AArch64"'
echo "not a library" > "$W/text.so"
tokens text "$W/text.so"
expect "text file: not_elf" '.inventory.modules[0].status == "not_elf" and .primary_cause == "p11.module"'
tokens missing "$W/nope.so"
expect "missing file: not_found" '.inventory.modules[0].status == "not_found"'

# the person's language
set +e
"$ND_BIN" tokens --module "$W/libakisp11-i386.so" --lang tr --no-color > "$W/tr.txt" 2>&1
set -e
grep -q "32 bit" "$W/tr.txt" && grep -q "Ne yapmalı" "$W/tr.txt" && ok "Turkish report for the 32-bit library" ||
	{ bad "Turkish report"; sed 's/^/      /' "$W/tr.txt" | head -30; }
finish
