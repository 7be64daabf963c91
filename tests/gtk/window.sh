#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# nesdoctor-gtk read the way a screen reader reads it: through AT-SPI,
# under Xvfb, with a private D-Bus session and the accessibility bus, in
# the e2e rig (pcscd + vpcd + a virtual AKIS card, SoftHSM2, the test PKI;
# tests/e2e/lib.sh). The window's nesdoctor children get the rig's
# options through NESDOCTOR_GTK_ARGS. Asserted on the window's tree:
#   1. pcscd absent                 -> "Not ready", the cause names pcscd
#   2. pcscd, no card               -> "Not ready" (pcsc.card), then the card
#      is inserted and the verdict turns "Ready" by itself (watch), and
#      back to "Not ready" when it is taken out
#   3. the good world, Turkish      -> "Hazır: ..." under LANG=tr_TR.UTF-8
#      (the locale need not be generated)
# Every button has an accessible name. A screenshot of each state is kept
# in the build tree (tests/gtk/shots/*.png).
ND_GTK_BIN=${ND_GTK_BIN:?}
PY=/usr/bin/python3
skip() { echo "SKIP: $*"; exit 77; }
[ -x "$ND_GTK_BIN" ] || skip "nesdoctor-gtk was not built (libgtk-4-dev)"
command -v Xvfb > /dev/null || skip "no Xvfb (package xvfb)"
command -v dbus-daemon > /dev/null || skip "no dbus-daemon (package dbus)"
[ -x /usr/libexec/at-spi-bus-launcher ] || skip "no at-spi-bus-launcher (package at-spi2-core)"
$PY -c 'import pyatspi' 2> /dev/null || skip "no pyatspi (package python3-pyatspi)"

. "$ND_SRC/tests/e2e/lib.sh" || exit 1
SHOTS=${ND_SHOTS:-$PWD/shots}
mkdir -p "$SHOTS"
rig_enter_ns "$@"

# a private desktop: Xvfb on a free display, a session bus of our own
# (which starts the AT-SPI bus when GTK asks for it), home and runtime
# folders in the rig's work folder
export HOME=$RIG_WORK/home XDG_RUNTIME_DIR=$RIG_WORK/xdg XDG_CONFIG_HOME=$RIG_WORK/home/.config
mkdir -p "$HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
rig_bg "$RIG_WORK/xvfb.log" bash -c 'exec Xvfb -displayfd 3 -nolisten tcp -screen 0 1024x768x24 3> "$1"' _ "$RIG_WORK/display"
rig_bg "$RIG_WORK/dbus.log" dbus-daemon --session --nofork --address="unix:path=$RIG_WORK/bus"
for ((i = 0; i < 100; i++)); do
	[ -s "$RIG_WORK/display" ] && [ -S "$RIG_WORK/bus" ] && break
	sleep 0.1
done
[ -s "$RIG_WORK/display" ] || { echo "Xvfb did not start"; cat "$RIG_WORK/xvfb.log"; exit 1; }
export DISPLAY=:$(cat "$RIG_WORK/display") DBUS_SESSION_BUS_ADDRESS=unix:path=$RIG_WORK/bus
export GTK_A11Y=atspi GSK_RENDERER=cairo
unset NO_AT_BRIDGE
# GTK's and fontconfig's caches live until exit: leaks in the window's
# process are not ours to find here (the nesdoctor children are checked by
# every other test)
export ASAN_OPTIONS=detect_leaks=0

GUI_PID=""
# gui_start NAME LANG: the window, its screenshots named SHOTS/NAME-VERDICT.png
gui_start() {
	rig_bg "$RIG_WORK/gui-$1.log" env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG="$2" \
		NESDOCTOR_GTK_SCREENSHOT="$SHOTS/$1" NESDOCTOR_GTK_ARGS="$(nd_opts gui)" \
		NESDOCTOR="$ND_BIN" "$ND_GTK_BIN"
	GUI_PID=$RIG_LAST_PID
}
gui_stop() {
	kill "$GUI_PID" 2> /dev/null
	wait "$GUI_PID" 2> /dev/null
	GUI_PID=""
}

# wait_verdict DESC SECONDS REGEX: until the window's title (the frame's
# accessible name, "nesdoctor — VERDICT") matches; the tree is in $TREE
TREE=$RIG_WORK/tree.txt
wait_verdict() {
	local desc=$1 secs=$2 re=$3 i
	for ((i = 0; i < secs * 2; i++)); do
		if $PY "$ND_SRC/tests/gtk/read.py" > "$TREE" 2> "$TREE.err" &&
			grep -qE "^frame	nesdoctor — ($re)" "$TREE"; then
			ok "$desc ($(grep '^frame' "$TREE" | cut -f2))"
			return 0
		fi
		sleep 0.5
	done
	bad "$desc: the window did not say /$re/ within $secs s"
	show "$TREE" "$TREE.err"
	return 1
}
tree_has() {   # tree_has DESC ERE: a line of the tree matches
	if grep -qE "$2" "$TREE"; then ok "$1"; else bad "$1: no /$2/ in the tree"; show "$TREE"; fi
}
buttons_named() {
	if grep -qE '^push button	$' "$TREE"; then
		bad "$1: a button without an accessible name"; show "$TREE"
	else ok "$1: every button has an accessible name"; fi
}
shot() {   # shot FILE DESC: the screenshot was written
	local i
	for ((i = 0; i < 20; i++)); do [ -s "$1" ] && break; sleep 0.25; done
	if [ -s "$1" ]; then ok "$2: screenshot $(basename "$1")"; else bad "$2: no screenshot $1"; fi
}

e2e_world
e2e_token rsa good-rsa
e2e_use rsa

# ---- 1. pcscd absent
rig_pcscd_stop
gui_start nopcscd en_US.UTF-8
wait_verdict "pcscd absent: not ready" 40 "Not ready"
tree_has "pcscd absent: the verdict label" '^label	Not ready: signing will not work yet$'
tree_has "pcscd absent: the cause names pcscd" '^label	Cause: .*\((sys\.pcscd|pcsc\.service)\)$'
tree_has "pcscd absent: the remedy as numbered steps" '^label	1\.$'
tree_has "pcscd absent: copy buttons" '^push button	Copy step 1$'
tree_has "pcscd absent: the layers, collapsed" '^push button	✘ Card reader — a problem$'
tree_has "pcscd absent: Check again" '^push button	Check again$'
buttons_named "pcscd absent"
shot "$SHOTS/nopcscd-not_ready.png" "pcscd absent"
gui_stop

# ---- 2. pcscd, no card; the card goes in, then out: the window follows
rig_pcscd 1
gui_start live en_US.UTF-8
wait_verdict "no card: not ready" 40 "Not ready"
tree_has "no card: the cause is pcsc.card" '^label	Cause: .*\(pcsc\.card\)$'
shot "$SHOTS/live-not_ready.png" "no card"
rm -f "$SHOTS/live-not_ready.png"
e2e_card "$UEKAE"
wait_verdict "card inserted: ready, by itself" 40 "Ready: you can sign"
tree_has "card inserted: the verdict label" '^label	Ready: you can sign with this device$'
tree_has "card inserted: the certificate layer is fine" '^push button	✔ Certificate — fine$'
buttons_named "ready"
shot "$SHOTS/live-ready.png" "ready"
e2e_nocard
wait_verdict "card taken out: not ready again, by itself" 40 "Not ready"
shot "$SHOTS/live-not_ready.png" "card taken out"
gui_stop

# ---- 3. the good world in Turkish (tr_TR.UTF-8 need not be generated)
e2e_card "$UEKAE"
gui_start tr tr_TR.UTF-8
wait_verdict "Turkish: ready" 40 "Hazır: bu cihazla imza atabilirsiniz"
tree_has "Turkish: the verdict label" '^label	Hazır: bu cihazla imza atabilirsiniz$'
tree_has "Turkish: the buttons" '^push button	Yeniden denetle$'
tree_has "Turkish: the layers" '^push button	✔ Sertifika — sorun yok$'
tree_has "Turkish: the checks' messages from nesdoctor --lang tr" 'TEST KULLANICI ÇAĞRI adına nitelikli sertifikayla'
buttons_named "Turkish"
shot "$SHOTS/tr-ready.png" "Turkish"
gui_stop
finish
