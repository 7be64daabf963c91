#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# nesdoctor watch: reader and card events as JSON lines and as text, --count,
# --timeout, Ctrl-C, a pcscd that goes away, and one that stops answering.
. "$ND_TESTS/lib.sh"
rig_enter_ns "$@"
UEKAE=3B9F968131FE45806755454B41451212318073B3A180EA

# watch_bg NAME ARGS...: nesdoctor watch in the background ($W: its pid)
watch_bg() {
	local name=$1
	shift
	OUT="$RIG_WORK/$name.out"
	ERR="$RIG_WORK/$name.err"
	"$ND_BIN" watch "$@" >"$OUT" 2>"$ERR" &
	W=$!
	W_T0=$(date +%s%N)
}
watch_wait() {   # watch_wait LIMIT_S: wait for the watch, kill it after LIMIT_S
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		kill -0 "$W" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$W" 2>/dev/null; then
		bad "watch still running after $1 s"
		kill -9 "$W"
	fi
	wait "$W"
	RC=$?
	MS=$((($(date +%s%N) - W_T0) / 1000000))
}
lines() { grep -c . "$1"; }

# -- readers appear when pcscd starts, and go when it stops
watch_bg pnp --json --count 4 --timeout 20
sleep 0.5
rig_pcscd 1
sleep 1
rig_pcscd_stop
watch_wait 15
expect_rc 0 "watch --count 4 across a pcscd start and stop"
jcheck --lines "$OUT" "pcscd start and stop: reader_added then reader_removed, for both readers" \
	'[(e["event"], e["reader"]) for e in d] == [("reader_added", "Virtual PCD 00 00"), ("reader_added", "Virtual PCD 00 01"), ("reader_removed", "Virtual PCD 00 00"), ("reader_removed", "Virtual PCD 00 01")]' \
	'all(e["atr"] is None and e["time"].endswith("Z") for e in d)'
has "$ERR" "pcscd cannot be reached (SCARD_E_NO_SERVICE); waiting for it" "watch says on stderr that it waits for pcscd"

# -- cards: insert, remove, insert, with --count
rig_pcscd 1
rig_vcard 35963 --removed
C=$RIG_LAST_PID
watch_bg cards --json --count 3 --timeout 20
sleep 0.7
t_ins=$(date +%s%N)
kill -USR2 "$C"; sleep 1; kill -USR1 "$C"; sleep 1; kill -USR2 "$C"
watch_wait 15
expect_rc 0 "watch --count 3: card events"
jcheck --lines "$OUT" "card events as JSON lines: event, reader, atr, time, the card's family" \
	'[e["event"] for e in d] == ["card_inserted", "card_removed", "card_inserted"]' \
	'all(e["reader"] == "Virtual PCD 00 00" for e in d)' \
	'd[0]["atr"] == "'$UEKAE'" and d[1]["atr"] == "'$UEKAE'"' \
	'd[0]["family"] == "akis_uekae" and d[0]["name"] == "AKIS (UEKAE family)"' \
	'"family" not in d[1]' \
	'all(len(e["time"]) == 24 for e in d)'
has "$ERR" "Watching 2 card readers" "watch lists the readers it watches on stderr"
ev_ms=$(python3 -c 'import json,sys,datetime
e = json.loads(open(sys.argv[1]).readline())
t = datetime.datetime.strptime(e["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
print(int(t.timestamp() * 1000) - int(sys.argv[2]) // 1000000)' "$OUT" "$t_ins")
ok "insertion seen ${ev_ms} ms after the card went in"

# -- text lines, --reader, and the end by --timeout
watch_bg text --timeout 3 --reader "00 00"
sleep 0.5
kill -USR1 "$C"
watch_wait 8
expect_rc 0 "watch --timeout 3 ends by itself with exit 0"
[ "$MS" -ge 2500 ] && [ "$MS" -lt 6000 ] && ok "it ended after about 3 s ($MS ms)" || bad "it ended after $MS ms"
[ "$(lines "$OUT")" -eq 1 ] && ok "one line per event" || { bad "expected one line"; show "$OUT"; }
has "$OUT" "card removed    Virtual PCD 00 00" "text line: the event and the reader"

watch_bg text-tr --timeout 3 --lang tr
sleep 0.5
kill -USR2 "$C"
watch_wait 8
has "$OUT" "kart takıldı" "text line in Turkish"
has "$OUT" "AKİS kartı (UEKAE ailesi)" "text line in Turkish: the card"

# -- a reader of the output that goes away: the watch ends too
t0=$(date +%s%N)
( "$ND_BIN" watch --json 2>/dev/null | head -1 > "$RIG_WORK/head.out" ) &
P=$!
sleep 0.7
kill -USR1 "$C"; sleep 0.8; kill -USR2 "$C"
for ((i = 0; i < 50; i++)); do kill -0 "$P" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$P" 2>/dev/null; then bad "watch | head -1 still runs after the second event"; kill "$P"
else ok "watch | head -1: the watch ends once its output is gone ($((($(date +%s%N) - t0) / 1000000)) ms)"; fi
wait "$P" 2>/dev/null
jcheck --lines "$RIG_WORK/head.out" "watch | head -1: the first event" '[e["event"] for e in d] == ["card_removed"]'

# -- Ctrl-C
watch_bg int --json
sleep 1
W_T0=$(date +%s%N)
kill -INT "$W"
watch_wait 5
expect_rc 0 "Ctrl-C ends the watch with exit 0"
[ "$MS" -lt 2500 ] && ok "Ctrl-C: ended at once ($MS ms)" || bad "Ctrl-C: took $MS ms"

# -- pcscd stops answering: the watch ends, it does not hang
watch_bg stuck --json --timeout 2
sleep 0.8
kill -STOP "$RIG_PCSCD_PID"
watch_wait 10
kill -CONT "$RIG_PCSCD_PID"
expect_rc 3 "pcscd stopped answering"
[ "$MS" -lt 6000 ] && ok "a stuck pcscd ends the watch in bounded time ($MS ms)" || bad "took $MS ms"
has "$ERR" "pcscd stopped answering" "the watch says why it ended"
finish
