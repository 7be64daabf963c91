#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The USB-to-PC/SC cross-check against a real pcscd and libccid, driving
# emulated USB readers (umockdev + usb_emu.py), in private namespaces
# (tests/rig/rig.sh): no real device and no system pcscd is touched.
#   1. ACR39U, pcscd + libccid      -> listed; usb.access passes
#   2. ACR39T (CCID, only acsccid lists it), pcscd + libccid
#                                   -> pcscd does not take it (no class-driver
#                                      fallback on Linux); usb.driver fails, libacsccid1
#   3. old ACR38U (vendor protocol) -> usb.driver fails, libacsccid1
#   4. ACR39U, drivers folder empty -> usb.driver fails, libccid
#   5. ACR39U, no pcscd at all      -> usb.access: pcscd is not running
#   6. ACR39U, pcscd without the ioctl emulator (libusb I/O fails), its log
#      given to nesdoctor           -> usb.access: the USB error from the log
#   7. ACR39U claimed by another program (usbfs in sysfs) -> usb.access says so
#   8. a process named scdaemon     -> sys.holders warns, gpgconf remedy
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
mkdir -p "$W/empty.d"

# Runs inside the testbed (umockdev's LD_PRELOAD and UMOCKDEV_DIR inherited):
# start pcscd unless PCSCD=no, wait until its USB scan is over, run nesdoctor.
cat > "$W/inner.sh" <<'EOS'
set -u
p=""
if [ "$PCSCD" = yes ]; then
	pcscd --foreground --info --config "$W/empty.d" > "$W/$CASE.pcscd.log" 2>&1 &
	p=$!
	# the scan is over when the log stops growing (at most 5 s)
	last=-1
	for i in $(seq 50); do
		sleep 0.1
		[ -S /run/pcscd/pcscd.comm ] || continue
		s=$(stat -c %s "$W/$CASE.pcscd.log")
		[ "$s" = "$last" ] && break
		last=$s
	done
fi
"$ND_BIN" --json --lang en --timeout 5 > "$W/$CASE.json"
[ -n "$p" ] && { kill "$p"; wait "$p"; }
exit 0
EOS

# run_case CASE MODE DEVICE...   MODE: emu | plain | none
run_case() {
	local c=$1 mode=$2
	shift 2
	python3 "$HERE/mkdev.py" "$W/$c.umockdev" "$@"
	local t0=$(date +%s%N)
	if [ "$mode" = emu ]; then
		W=$W CASE=$c PCSCD=yes ND_BIN=$ND_BIN ND_EMU_TIMEOUT=30 \
			umockdev-wrapper /usr/bin/python3 "$HERE/usb_emu.py" "$W/$c.umockdev" -- bash "$W/inner.sh"
	else
		W=$W CASE=$c PCSCD=$([ "$mode" = plain ] && echo yes || echo no) ND_BIN=$ND_BIN \
			timeout 30 umockdev-run --device "$W/$c.umockdev" -- bash "$W/inner.sh"
	fi
	echo "    ($c: $(( ($(date +%s%N) - t0) / 1000000 )) ms)"
}

run_case 1-acr39u emu acr39u
check 1-acr39u "$(st usb.device pass) and $(st usb.driver pass) and $(st usb.access pass)" "ACR39U passes usb.device, usb.driver, usb.access"
check 1-acr39u '.inventory.usb[0].in_pcsc == true and (.inventory.usb[0].pcsc_reader | startswith("ACS ACR39U ICC Reader"))' "matched to pcscd's reader name"
check 1-acr39u '.inventory.usb[0].driver == "ifd-ccid.bundle" and .inventory.usb[0].driver_match == "id"' "served by libccid, listed by id"
check 1-acr39u "$(st sys.pcscd pass) and $(msg sys.pcscd 'running as root')" "sys.pcscd: running as root"

run_case 2-acr39t emu acr39t
check 2-acr39t '.inventory.usb[0].in_pcsc == false and .inventory.usb[0].driver == null and .inventory.usb[0].driver_match == "class"' "pcscd does not list the ACR39T; only the class driver could serve it"
check 2-acr39t "$(st usb.driver fail) and .primary_cause == \"usb.driver\" and $(rem usb.driver 'apt install libacsccid1')" "usb.driver fails with libacsccid1 as the remedy"
check 2-acr39t "$(msg usb.driver 'loads a driver only for the ids it lists')" "the message says why libccid's class fallback does not help"

run_case 3-acr38u emu acr38u
check 3-acr38u "$(st usb.driver fail) and .primary_cause == \"usb.driver\" and $(rem usb.driver 'not CCID') and $(rem usb.driver 'apt install libacsccid1')" "old ACR38U: no driver, ACS's driver named"

mount -t tmpfs -o mode=755 tmpfs /usr/lib/pcsc/drivers
run_case 4-nodriver emu acr39u
umount /usr/lib/pcsc/drivers
check 4-nodriver "$(st usb.driver fail) and $(msg usb.driver 'no reader drivers are installed|no installed driver serves') and $(rem usb.driver 'apt install libccid')" "drivers folder empty: usb.driver fails, libccid named"
check 4-nodriver '.inventory.usb[0].in_pcsc == false' "pcscd without drivers does not list it"

run_case 5-nopcscd none acr39u
check 5-nopcscd "$(st usb.access fail) and $(msg usb.access 'pcscd is not running') and .primary_cause == \"usb.access\"" "no pcscd: usb.access names it as the cause"
check 5-nopcscd "$(st sys.pcscd fail)" "sys.pcscd fails too"

run_case 6-usberror plain acr39u
cp "$W/6-usberror.pcscd.log" "$W/pcscd-recorded.log"
W=$W CASE=6b PCSCD=no ND_BIN=$ND_BIN NESDOCTOR_PCSCD_LOG="$W/pcscd-recorded.log" \
	timeout 30 umockdev-run --device "$W/6-usberror.umockdev" -- bash -c '
	pcscd --foreground --info --config "$W/empty.d" > /dev/null 2>&1 & p=$!; sleep 1
	"$ND_BIN" --json --lang en --timeout 5 > "$W/6b.json"; kill $p; wait $p; exit 0'
check 6b "$(st usb.access fail) and $(msg usb.access 'pcscd could not use .*LIBUSB_ERROR')" "USB error in pcscd's log named as the cause"
check 6b '(.inventory.usb[0].pcscd_log | length) > 0 and .inventory.usb_scan.pcscd_log.readable == true' "log lines about the device kept in the inventory"
# NESDOCTOR_PCSCD_LOG naming a FIFO: not read (it would block), the run ends
mkfifo "$W/pcscd-fifo.log"
W=$W CASE=6c PCSCD=no ND_BIN=$ND_BIN NESDOCTOR_PCSCD_LOG="$W/pcscd-fifo.log" \
	timeout 30 umockdev-run --device "$W/6-usberror.umockdev" -- bash -c '
	pcscd --foreground --info --config "$W/empty.d" > /dev/null 2>&1 & p=$!; sleep 1
	timeout 15 "$ND_BIN" --json --lang en --timeout 5 > "$W/6c.json"; echo $? > "$W/6c.rc"; kill $p; wait $p; exit 0'
[ "$(cat "$W/6c.rc")" != 124 ] && ok "a FIFO as NESDOCTOR_PCSCD_LOG does not hang the run" || bad "a FIFO as NESDOCTOR_PCSCD_LOG hangs the run"
check 6c '.inventory.usb_scan.pcscd_log.readable == false' "a FIFO as NESDOCTOR_PCSCD_LOG: the log is not readable"

python3 "$HERE/mkdev.py" "$W/7.umockdev" acr39u@usbfs
W=$W ND_BIN=$ND_BIN timeout 30 umockdev-run --device "$W/7.umockdev" -- bash -c '
	pcscd --foreground --info --config "$W/empty.d" > /dev/null 2>&1 & p=$!; sleep 1
	"$ND_BIN" --json --lang en --timeout 5 > "$W/7-claimed.json"; kill $p; wait $p; exit 0'
check 7-claimed "$(st usb.access fail) and $(msg usb.access 'claimed') and $(rem usb.access 'gpgconf --kill scdaemon')" "interface bound to usbfs by another program"

cp /bin/sleep "$W/scdaemon"
"$W/scdaemon" 60 &
sd=$!
"$ND_BIN" --json --lang en --timeout 5 > "$W/8-scdaemon.json" 2>/dev/null
kill $sd; wait $sd 2>/dev/null
check 8-scdaemon "$(st sys.holders warn) and $(rem sys.holders 'pcsc-shared') and $(rem sys.holders 'gpgconf --kill scdaemon')" "scdaemon running: sys.holders warns, says how to make it share"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
