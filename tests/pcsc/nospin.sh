#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# libpcsclite spins for a millisecond on every SCardGetStatusChange with a
# timeout of 0 ms that finds nothing new (src/pcsc/nospin.c). With
# nesdoctor's poll() the same calls give the same answers after the same
# wait, sleeping instead of spinning.
. "$ND_TESTS/lib.sh"
rig_enter_ns "$@"
rig_pcscd 1
N=40
# (GSC=$ND_BUILD/tests/pcsc/gsc_loop_plain shows what this asserts failing)
GSC=${GSC:-$ND_BUILD/tests/pcsc/gsc_loop}

# the first reader is empty and stays so: every call is a timeout
read -r cpu wall timeouts < <("$GSC" $N)
read -r pcpu pwall ptimeouts < <("$ND_BUILD/tests/pcsc/gsc_loop_plain" $N)
echo "# $N calls: with nesdoctor's poll() ${cpu:-?} ms of CPU in ${wall:-?} ms;" \
	"libpcsclite alone ${pcpu:-?} ms of CPU in ${pwall:-?} ms"
if [ "${timeouts:-0}" -eq $N ] && [ "${ptimeouts:-0}" -eq $N ]; then
	ok "every call answered 'no change' (SCARD_E_TIMEOUT), as without it"
else
	bad "timeouts: ${timeouts:-none} with, ${ptimeouts:-none} without, of $N"
fi
if awk -v w="${wall:-0}" -v n=$N 'BEGIN { exit !(w >= n) }'; then
	ok "each call still waits its millisecond (${wall} ms for $N)"
else
	bad "the calls took ${wall:-?} ms for $N: libpcsclite's wait was cut short"
fi
if awk -v c="${cpu:-1e9}" -v w="${wall:-0}" 'BEGIN { exit !(c * 2 < w) }'; then
	ok "the wait is a sleep: ${cpu} ms of CPU in ${wall} ms"
else
	bad "the wait spins: ${cpu:-?} ms of CPU in ${wall:-?} ms"
fi

# the program itself carries the poll() that libraries are given
if nm -D --defined-only "$ND_BIN" | awk '$3 == "poll" { f = 1 } END { exit !f }'; then
	ok "nesdoctor defines poll() for the libraries it loads"
else
	bad "nesdoctor does not export poll(): libpcsclite spins"
fi
finish
