#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# inventory.system.usb_holders: a process with a USB device node open is
# found by its descriptors (/proc/PID/fd), named, and its node given; other
# descriptors (a file, a pipe) are not taken for one. The node is a file in
# a tmpfs mounted over /dev in this script's private mount namespace (the
# real /dev is bound back for null, tty and the like; nothing outside the
# namespace sees it).
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
[ -n "${RIG_IN_NS:-}" ] || { echo "not in a private namespace" >&2; exit 1; }
mkdir -p "$W/realdev" "$W/home"
mount --rbind /dev "$W/realdev"
mount -t tmpfs -o mode=755 tmpfs /dev
for n in null zero full random urandom tty ptmx; do
	[ -e "$W/realdev/$n" ] || continue
	: > "/dev/$n"
	mount --bind "$W/realdev/$n" "/dev/$n"
done
for n in pts shm; do
	[ -d "$W/realdev/$n" ] || continue
	mkdir "/dev/$n"
	mount --rbind "$W/realdev/$n" "/dev/$n"
done
mkdir -p /dev/bus/usb/001
: > /dev/bus/usb/001/002
cp /bin/sleep "$W/vendord"
cp /bin/sleep "$W/otherd"
"$W/vendord" 60 7< /dev/bus/usb/001/002 &
"$W/otherd" 60 7< "$W/home" 8< <(sleep 60) &
sleep 0.3

env HOME="$W/home" "$ND_BIN" --json --lang en --offline --timeout 3 > "$W/h.json"
check h '[.inventory.system.usb_holders[] | select(.name == "vendord" and .node == "/dev/bus/usb/001/002")] | length == 1' \
	"the process holding /dev/bus/usb/001/002 is named with its node"
check h '[.inventory.system.usb_holders[] | select(.name == "otherd")] | length == 0' \
	"a process with only a folder and a pipe open is not a holder"
kill %1 %2 2>/dev/null
echo "sys holders: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
