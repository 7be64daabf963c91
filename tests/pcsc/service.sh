#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# pcsc.service: no pcscd at all; a daemon that refuses us (polkit), that
# speaks another protocol version, that never answers; a real pcscd stopped
# with SIGSTOP. Each must be told apart, bounded by --timeout.
. "$ND_TESTS/lib.sh"
rig_enter_ns "$@"

# -- nothing listens on /run/pcscd/pcscd.comm
run none readers --json
expect_rc 2 "no pcscd"
jcheck "$OUT" "no pcscd: pcsc.service fails with SCARD_E_NO_SERVICE, the cause" \
	'd["primary_cause"] == "pcsc.service"' \
	'check("pcsc.service")["status"] == "fail"' \
	'inv["pcsc"]["service"] == "not_running" and inv["pcsc"]["reachable"] is False' \
	'inv["pcsc"]["rv"] == "SCARD_E_NO_SERVICE"' \
	'"systemctl enable --now pcscd.socket" in check("pcsc.service")["remedy"]' \
	'"apt install pcscd" in check("pcsc.service")["remedy"]' \
	'check("pcsc.card")["status"] == "skip" and check("pcsc.card")["blocked_by"] == "pcsc.service"' \
	'inv["readers"] == []' \
	'd["verdict"] == "not_ready" and d["exit_code"] == 2'
run none-tr readers --lang tr
expect_rc 2 "no pcscd, Turkish"
has "$OUT" "akıllı kart hizmeti pcscd çalışmıyor (SCARD_E_NO_SERVICE)" "no pcscd, Turkish: the cause"
has "$OUT" "sudo systemctl enable --now pcscd.socket" "no pcscd, Turkish: the command"
has "$OUT" "Akıllı kart hizmetini başlatın" "no pcscd, Turkish: the remedy"

# -- a socket file nobody listens on (pcscd died): not running, not "refused"
python3 -c 'import socket; s = socket.socket(socket.AF_UNIX); s.bind("/run/pcscd/pcscd.comm")'
run stale --json
expect_rc 2 "stale socket"
jcheck "$OUT" "stale socket: pcscd is not running" \
	'inv["pcsc"]["service"] == "not_running"' \
	'inv["pcsc"]["socket_present"] is True'
rm -f /run/pcscd/pcscd.comm

# -- polkit refusal (pcscd closes the connection at once; libpcsclite says
# SCARD_W_SECURITY_VIOLATION, or SCARD_E_NO_SERVICE when its first write
# loses the race against the close: nesdoctor asks the socket itself)
rig_fake_pcscd refuse
run refuse --json
expect_rc 2 "refused"
jcheck "$OUT" "refused: SCARD_W_SECURITY_VIOLATION, remedy names the polkit action" \
	'inv["pcsc"]["service"] == "refused"' \
	'inv["pcsc"]["rv"] == "SCARD_W_SECURITY_VIOLATION" or (inv["pcsc"]["rv"] == "SCARD_E_NO_SERVICE" and inv["pcsc"]["refused_how"] == "hangs_up")' \
	'check("pcsc.service")["status"] == "fail"' \
	'"polkit" in check("pcsc.service")["message"]' \
	'"org.debian.pcsc-lite.access_pcsc" in check("pcsc.service")["remedy"]'
rig_cleanup_fake() { kill "$RIG_LAST_PID"; wait "$RIG_LAST_PID" 2>/dev/null; }
rig_cleanup_fake

# -- protocol version mismatch
rig_fake_pcscd mismatch
run mismatch --json
expect_rc 2 "protocol mismatch"
jcheck "$OUT" "protocol mismatch: told apart from 'not running'" \
	'inv["pcsc"]["service"] == "protocol_mismatch"' \
	'inv["pcsc"]["rv"] == "SCARD_E_SERVICE_STOPPED"' \
	'"protocol" in check("pcsc.service")["message"]' \
	'"restart" in check("pcsc.service")["remedy"]'
rig_cleanup_fake

# -- a daemon that accepts and never answers
rig_fake_pcscd silent
run silent --json --timeout 1
expect_rc 2 "silent daemon"
within 3000 "silent daemon: bounded by --timeout 1"
jcheck "$OUT" "silent daemon: no answer, the call that hung is named" \
	'inv["pcsc"]["service"] == "no_answer"' \
	'inv["pcsc"]["hung_step"] == "SCardEstablishContext"' \
	'"within 1 s" in check("pcsc.service")["message"]'
rig_cleanup_fake

# -- a real pcscd, stopped
rig_pcscd 1
run alive --json
jcheck "$OUT" "real pcscd answers" 'check("pcsc.service")["status"] == "pass"'
kill -STOP "$RIG_PCSCD_PID"
run stopped --json --timeout 2
kill -CONT "$RIG_PCSCD_PID"
expect_rc 2 "stopped pcscd"
within 4500 "stopped pcscd: bounded by --timeout 2"
jcheck "$OUT" "stopped pcscd: no answer within 2 s" \
	'inv["pcsc"]["service"] == "no_answer"' \
	'check("pcsc.service")["status"] == "fail"' \
	'"2 s" in check("pcsc.service")["message"]'
run resumed --json
jcheck "$OUT" "pcscd answers again after SIGCONT" 'check("pcsc.service")["status"] == "pass"'
finish
