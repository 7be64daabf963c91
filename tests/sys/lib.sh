# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the sys shell tests: tests/usb/lib.sh (the rig's private
# namespaces, so no system pcscd is reached; the jq helpers check, st, msg,
# rem), showing the sys checks, browsers and Java when a check fails.
ND_SHOW='[(.checks[] | select(.layer=="sys") | [.id, .status, .message, .remedy]), .inventory.system.browsers, .inventory.system.java]'
. "$ND_SRC/tests/usb/lib.sh"
