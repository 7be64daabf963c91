#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The usb collector and checks on emulated devices (umockdev device files
# written by mkdev.py) and generated driver bundles (mkbundle.py): which
# devices are reported, names from the table, the device or sysfs, the CCID
# class descriptor (and a malformed one), driver coverage from Info.plist
# files (two drivers, malformed bundles), and what usb.device says when no
# reader is on USB. Runs in private namespaces (tests/rig/rig.sh); the pcscd
# of case "virtual" gets no USB drivers, so it can never take a real reader.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
dev() { echo ".inventory.usb[] | select(.id==\"$1\")"; }
nd() { # nd OUT MOCKDEV [env...]: nesdoctor --json in a umockdev testbed
	local out=$1 mock=$2
	shift 2
	env "$@" umockdev-run --device "$W/$mock.umockdev" -- "$ND_BIN" --json --lang en --timeout 3 > "$W/$out.json"
	echo $? > "$W/$out.rc"
}

# driver bundles: a libccid-like class driver and an ACS-like specific one
D=$W/drivers
python3 "$HERE/mkbundle.py" "$D" ifd-ccid.bundle --class --version 1.5.2 \
	072f:b100="ACS ACR39U ICC Reader" 072f:90cc="ACS ACR 38U-CCID"
python3 "$HERE/mkbundle.py" "$D" ifd-acsccid.bundle --name ACSCCID --version 1.1.8 \
	072f:9000="ACS ACR38U" 072f:90cc="ACS ACR38U-CCID" 072f:b100="ACS ACR39U ICC Reader" 072f:b102="ACS ACR39T ICC Reader"

python3 "$HERE/mkdev.py" "$W/all.umockdev" acr39u acr38u acr38u-ccid keyboard badccid generic
nd all all NESDOCTOR_PCSC_DRIVERS="$D"
check all '[.inventory.usb[].id] == ["072f:b100", "072f:9000", "072f:90cc", "1209:0002", "1209:0001"]' "five smart-card devices in port order, the keyboard left out"
check all "($(dev 072f:b100)) | .name == \"ACS ACR39U\" and .name_source == \"table\" and .kind == \"reader\" and .family == \"acs-acr39\"" "ACR39U named from the table"
check all "($(dev 072f:b100)) | .ccid.protocols == [\"T=0\", \"T=1\"] and .ccid.exchange_level == \"short_apdu\" and .ccid.max_ifsd == 254 and .ccid.pin_pad.verify == false and .ccid.bcd_ccid == \"1.10\"" "CCID class descriptor decoded"
check all "($(dev 072f:b100)) | .node == \"/dev/bus/usb/001/002\" and .port_path == \"1-2\" and (.permissions.mode | test(\"^0[0-7]{3}$\"))" "bus path, node and permissions"
check all "($(dev 072f:b100)) | .driver == \"ifd-acsccid.bundle\" and .driver_match == \"id\" and (.drivers | length) == 2 and .drivers_ambiguous == false" "two drivers list the ACR39U: the specific one wins, libccid is the fallback"
check all "($(dev 072f:9000)) | .ccid_interface == false and .ccid == null and .driver == \"ifd-acsccid.bundle\" and .driver_package == \"libacsccid1\"" "old ACR38U: vendor interface, served by acsccid"
check all "($(dev 1209:0002)) | .ccid == null and .ccid_error == \"parse\"" "malformed CCID descriptor reported, not decoded"
check all "($(dev 1209:0001)) | .name == \"Test CCID Reader\" and .name_source == \"sysfs\" and .string_descriptors == \"LIBUSB_ERROR_IO\" and .driver == null and .driver_match == \"class\"" "unknown reader: strings fail without the ioctl emulator, name from sysfs"
check all "$(st usb.driver fail) and $(msg usb.driver '1209:000')" "usb.driver fails for the readers no driver lists"

# string descriptors through the ioctl emulator
env NESDOCTOR_PCSC_DRIVERS="$D" umockdev-wrapper /usr/bin/python3 "$HERE/usb_emu.py" "$W/all.umockdev" -- \
	"$ND_BIN" --json --lang en --timeout 3 > "$W/strings.json"
check strings "($(dev 1209:0001)) | .name_source == \"usb\" and .string_descriptors == \"ok\" and .manufacturer == \"Test Vendor\" and .product == \"Test CCID Reader\"" "with the ioctl emulator the name comes from the device"

python3 "$HERE/mkdev.py" "$W/one.umockdev" acr39u
nd two one NESDOCTOR_PCSC_DRIVERS="$D"
check two "$(st usb.driver pass) and $(msg usb.driver 'served by ifd-acsccid.bundle .libacsccid1.; ifd-ccid.bundle also lists it and is the fallback')" "both drivers claiming a device is reported"
nd classonly one NESDOCTOR_PCSC_DRIVERS="/usr/lib/pcsc/drivers"
check classonly "$(st usb.driver pass) and ($(dev 072f:b100)).driver_package == \"libccid\"" "the installed libccid serves the ACR39U"

# malformed bundles next to a good one
B=$W/broken
python3 "$HERE/mkbundle.py" "$B" a-good.bundle --single 072f:b100="ACS ACR39U ICC Reader"
python3 "$HERE/mkbundle.py" "$B" b-xml.bundle --broken=xml 072f:b100="X"
python3 "$HERE/mkbundle.py" "$B" c-mismatch.bundle --broken=mismatch 072f:9000="X" 072f:90cc="Y"
python3 "$HERE/mkbundle.py" "$B" d-nokeys.bundle --broken=nokeys 072f:b100="X"
python3 "$HERE/mkbundle.py" "$B" e-badid.bundle --broken=badid 072f:b100="X" 072f:90cb="Y"
mkdir -p "$B/f-empty.bundle"
nd broken one NESDOCTOR_PCSC_DRIVERS="$B"
check broken '[.inventory.ifd_drivers.bundles[] | [.bundle, .error]] == [["a-good.bundle", null], ["b-xml.bundle", "parse"], ["c-mismatch.bundle", "protocol"], ["d-nokeys.bundle", "not_found"], ["e-badid.bundle", "protocol"], ["f-empty.bundle", "not_found"]]' "each malformed bundle gets its error"
check broken "($(dev 072f:b100)).driver == \"a-good.bundle\"" "single-string ids are read (a-good.bundle serves the ACR39U)"
check broken "$(st usb.driver warn) and $(msg usb.driver 'driver bundle b-xml.bundle is broken')" "a broken bundle is a warning"
nd nodir one NESDOCTOR_PCSC_DRIVERS="$W/no-such-folder"
check nodir "$(st usb.driver fail) and $(msg usb.driver 'no reader drivers are installed') and $(rem usb.driver 'apt install libccid')" "no drivers folder: usb.driver fails, libccid named"

# no reader on USB: a failure, unless pcscd lists other (virtual) readers
python3 "$HERE/mkdev.py" "$W/kbd.umockdev" keyboard
nd none kbd
check none "$(st usb.device fail) and .primary_cause == \"usb.device\" and $(msg usb.device 'no smart-card reader or token is plugged in') and $(rem usb.device 'USB port')" "nothing plugged in: usb.device fails with what to do"
check none '.exit_code == 2 and (.inventory.usb | length) == 0' "exit code 2, empty inventory.usb"
# this pcscd gets the vpcd driver only: every USB bundle is hidden under an
# empty tmpfs (in this mount namespace only), so it cannot take a real reader.
# Nothing is bound below $W: cleanup must never delete through a mount.
hidden=""
for b in /usr/lib/pcsc/drivers/*.bundle; do
	[ -d "$b" ] && mount -t tmpfs -o mode=755 tmpfs "$b" && hidden="$hidden $b"
done
rig_pcscd 1
nd virtual kbd
check virtual "$(st usb.device info) and $(msg usb.device 'pcscd lists 2 reader') and .primary_cause != \"usb.device\"" "no USB reader but virtual ones in PC/SC: info, not a failure"
check virtual "$(st usb.driver skip) and $(st usb.access skip) and ([.checks[] | select(.layer==\"usb\") | .status] | index(\"fail\") == null)" "usb.driver and usb.access have nothing to check"
kill "$RIG_PCSCD_PID"; wait "$RIG_PCSCD_PID" 2>/dev/null
for b in $hidden; do umount "$b"; done

# NESDOCTOR_SYSFS: strings and kernel drivers read from another sysfs tree
S=$W/sysfs/bus/usb/devices
mkdir -p "$S/1-2" "$S/1-2:1.0" "$W/sysfs/bus/usb/drivers/usb-storage"
ln -s ../../../../bus/usb/drivers/usb-storage "$S/1-2:1.0/driver"
echo "Saved Reader" > "$S/1-2/product"
python3 "$HERE/mkdev.py" "$W/gen.umockdev" generic
nd sysfs gen NESDOCTOR_SYSFS="$W/sysfs"
check sysfs "($(dev 1209:0001)) | .kernel_driver == \"usb-storage\" and .name == \"Saved Reader\"" "NESDOCTOR_SYSFS is where sysfs facts come from"
# a FIFO in that tree (a saved copy is outside data) is not read: the
# run ends, and the attribute is simply unknown
mkfifo "$S/1-2/manufacturer"
nd sysfsfifo gen NESDOCTOR_SYSFS="$W/sysfs" timeout 20
[ "$(cat "$W/sysfsfifo.rc")" != 124 ] && ok "a FIFO in NESDOCTOR_SYSFS does not hang the run" || bad "a FIFO in NESDOCTOR_SYSFS hangs the run"
check sysfsfifo "($(dev 1209:0001)) | .name == \"Saved Reader\"" "a FIFO in NESDOCTOR_SYSFS: the other attributes are still read"
rm -f "$S/1-2/manufacturer"

# the text report, in both languages
env NESDOCTOR_PCSC_DRIVERS="$D" umockdev-run --device "$W/all.umockdev" -- "$ND_BIN" --lang en > "$W/all.txt"
grep -q "CCID 1.10: T=0 T=1, short APDU exchange, max IFSD 254, no PIN pad" "$W/all.txt" && grep -q "the class descriptor is unreadable (parse)" "$W/all.txt" &&
	grep -q "driver: ifd-acsccid.bundle (libacsccid1)" "$W/all.txt" && ok "text report: devices, CCID, drivers" || { bad "text report"; sed -n '/USB/,/System/p' "$W/all.txt"; }
env umockdev-run --device "$W/kbd.umockdev" -- "$ND_BIN" --lang tr > "$W/none-tr.txt"
grep -q "usb.device" "$W/none-tr.txt" && grep -qi "takılı" "$W/none-tr.txt" && ok "Turkish text report" || { bad "Turkish text report"; head -20 "$W/none-tr.txt"; }

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
