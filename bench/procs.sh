#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/procs.sh: the CPU of `nesdoctor check --offline` on a machine with
# many processes holding many descriptors, as a desktop has (the sys
# collector looks through every process's descriptors for USB device
# nodes). In the rig's private namespaces: NPROC sleeping processes with
# NFD descriptors each (default 200 x 200), and the same run without them.
# Not part of ctest.
#
#   ND_BIN=build/nesdoctor ND_SRC=. bash bench/procs.sh [RUNS] [NPROC] [NFD]
set -u
: "${ND_BIN:?}" "${ND_SRC:?}"
RUNS=${1:-9} NPROC=${2:-200} NFD=${3:-200}
export RIG_TIMEOUT=${RIG_TIMEOUT:-300}
. "$ND_SRC/tests/rig/rig.sh"
rig_enter_ns "$@"
W=$RIG_WORK
export HOME=$W

cpu() { # median CPU ms (user + system, with children) of RUNS runs of CMD
	python3 -c 'import resource, subprocess, sys
runs = int(sys.argv[1]); v = []
subprocess.run(["/bin/true"])
for i in range(runs):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    v.append((r.ru_utime - r0.ru_utime + r.ru_stime - r0.ru_stime) * 1000)
v.sort(); print("%.1f" % v[len(v) // 2])' "$RUNS" "$@"
}
quiet=$(cpu "$ND_BIN" check --json --offline --timeout 3)
python3 -c 'import os, sys, time
for i in range(int(sys.argv[1])):
    if os.fork() == 0:
        fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(int(sys.argv[2]))]
        time.sleep(600); os._exit(0)
time.sleep(600)' "$NPROC" "$NFD" &
for ((i = 0; i < 100; i++)); do
	[ "$(ls -d /proc/[0-9]* | wc -l)" -gt "$NPROC" ] && break
	sleep 0.1
done
sleep 1
fds=$(ls /proc/[0-9]*/fd 2>/dev/null | wc -l)
busy=$(cpu "$ND_BIN" check --json --offline --timeout 3)
kill %1
echo "binary: $ND_BIN ($RUNS runs each, medians)"
printf '%-52s %9s\n' "check --offline, a quiet namespace" "$quiet ms"
printf '%-52s %9s\n' "check --offline, $NPROC processes, $fds descriptors" "$busy ms"
