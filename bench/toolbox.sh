#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/toolbox.sh: `nesdoctor check` side by side with the sequence of
# tools a technician would type to find out the same things, on the same
# virtual card, alternating, in one run. Not part of ctest.
#
#   ND_BIN=build/nesdoctor ND_BUILD=build-test ND_SRC=. bash bench/toolbox.sh [RUNS]
#
# The world: pcscd + vpcd with the PIV virtual card (tests/rig/piv_vcard)
# holding the test PKI's qualified RSA certificate (tests/x509/mkpki.sh) and
# its key, read by OpenSC's PKCS#11 module; `openssl ocsp` answering on
# loopback; all in private namespaces (tests/rig/rig.sh).
#
# The toolbox: opensc-tool -l, opensc-tool -a, pkcs11-tool -L, -O,
# --read-object (the certificate), openssl x509 -text, openssl verify (with
# the issuing CA), openssl ocsp. nesdoctor: check --json with the same
# module, the test root as --anchor and a warm cache (the issuing CA was
# downloaded once), so both sides have the same material at hand.
#
# Prints both medians of wall time, the ratio nesdoctor/toolbox, and the
# median CPU time (user + system) of nesdoctor with its children.
set -u
: "${ND_BIN:?}" "${ND_BUILD:?}" "${ND_SRC:?}"
RUNS=${1:-15}
export RIG_TIMEOUT=${RIG_TIMEOUT:-300}
. "$ND_SRC/tests/rig/rig.sh"
rig_enter_ns "$@"
W=$RIG_WORK
HTTP=18081 OCSP=18082 SILENT=18083 GARBAGE=18084
PIN=246810
M=$(rig_module opensc)
PIV=$ND_BUILD/tests/rig/piv_vcard
export HOME=$W OPENSC_CONF=$W/opensc.conf
printf 'app default {\n  reader_drivers = pcsc;\n  framework pkcs15 { use_file_caching = false; }\n}\n' > "$OPENSC_CONF"

P=$W/pki
bash "$ND_SRC/tests/x509/mkpki.sh" "$P" $HTTP $OCSP $SILENT $GARBAGE > "$W/mkpki.log" 2>&1 ||
	{ echo "mkpki.sh failed"; cat "$W/mkpki.log"; exit 1; }
openssl pkey -in "$P/good-rsa.key" -out "$W/key.pem"
rig_bg "$W/http.log" python3 -m http.server $HTTP --bind 127.0.0.1 --directory "$P/www"
rig_bg "$W/ocsp.log" openssl ocsp -index "$P/int/index.txt" -port $OCSP \
	-rsigner "$P/ocsp.pem" -rkey "$P/ocsp.key" -CA "$P/int.pem" -ndays 1
rig_pcscd 1
rig_bg "$W/piv.log" "$PIV" -c "$P/good-rsa.der" -k "$W/key.pem" -p $PIN -r 3 -s 9c -n ND-PIV-SIG \
	-l "$W/ev" -P 35963 -t $((RIG_TIMEOUT - 10))
for ((i = 0; i < 100; i++)); do
	ss -ltn | grep -q ":$OCSP " && ss -ltn | grep -q ":$HTTP " && break
	sleep 0.1
done
for ((i = 0; i < 100; i++)); do
	opensc-tool -l 2>/dev/null | grep -q "Yes" && break
	sleep 0.1
done

toolbox() {
	opensc-tool -l
	opensc-tool -a
	pkcs11-tool --module "$M" -L
	pkcs11-tool --module "$M" -O
	pkcs11-tool --module "$M" --read-object --type cert --id 02 -o "$W/tb.der"
	openssl x509 -inform DER -in "$W/tb.der" -noout -text
	openssl x509 -inform DER -in "$W/tb.der" -out "$W/tb.pem"
	openssl verify -CAfile "$P/root.pem" -untrusted "$P/int.pem" "$W/tb.pem"
	openssl ocsp -issuer "$P/int.pem" -cert "$W/tb.pem" -url "http://127.0.0.1:$OCSP/" \
		-CAfile "$P/root.pem" -resp_text
}
ND_OPTS=(check --json --module "$M" --anchor "$P/root.pem" --cache-dir "$W/cache" --timeout 5)

# both once, to check they work and to warm the cache
toolbox > "$W/toolbox.out" 2>&1
grep -q ": good" "$W/toolbox.out" || { echo "the toolbox sequence did not work:"; tail -20 "$W/toolbox.out"; exit 1; }
"$ND_BIN" "${ND_OPTS[@]}" > "$W/first.json" 2> "$W/first.err"
verdict=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$W/first.json")

now_ns() { date +%s%N; }
# cpu_run CMD...: wall ms and CPU ms (user + system of CMD and its children).
# Python's first child costs some 50 ms of CPU of its own (before exec): a
# /bin/true first takes that, and only what follows is counted.
cpu_run() {
	python3 -c 'import resource, subprocess, sys, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
subprocess.run(["/bin/true"])
c0 = cpu()
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
w = time.monotonic() - t
print(round(w * 1000, 1), round((cpu() - c0) * 1000, 1))' "$@"
}
export -f toolbox
export M W P OCSP
: > "$W/tb.ms"; : > "$W/nd.ms"; : > "$W/nd.cpu"; : > "$W/tb.cpu"; : > "$W/l.cpu"
for ((i = 0; i < RUNS; i++)); do
	t0=$(now_ns); toolbox > /dev/null 2>&1; echo $((($(now_ns) - t0) / 1000)) >> "$W/tb.ms"
	read -r wall cpu < <(cpu_run "$ND_BIN" "${ND_OPTS[@]}")
	echo "$wall" >> "$W/nd.ms"; echo "$cpu" >> "$W/nd.cpu"
	# the CPU side by side: the whole toolbox, and its one pkcs11-tool -L
	# (what the module itself costs to find the card and list its token)
	read -r wall cpu < <(cpu_run bash -c toolbox); echo "$cpu" >> "$W/tb.cpu"
	read -r wall cpu < <(cpu_run pkcs11-tool --module "$M" -L); echo "$cpu" >> "$W/l.cpu"
done
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
tb=$(median < "$W/tb.ms"); tb=$(awk -v u="$tb" 'BEGIN { printf "%.1f", u / 1000 }')
nd=$(median < "$W/nd.ms"); cpu=$(median < "$W/nd.cpu")
tbcpu=$(median < "$W/tb.cpu"); lcpu=$(median < "$W/l.cpu")
echo "binary: $ND_BIN ($RUNS runs each, alternating; verdict of check: $verdict)"
printf '%-44s %9s\n' "toolbox sequence (9 commands), median" "$tb ms"
printf '%-44s %9s\n' "nesdoctor check, median" "$nd ms"
printf '%-44s %9s\n' "ratio nesdoctor / toolbox" "$(awk -v a="$nd" -v b="$tb" 'BEGIN { printf "%.2f", a / b }')"
printf '%-44s %9s\n' "toolbox CPU (with children), median" "$tbcpu ms"
printf '%-44s %9s\n' "  of which one pkcs11-tool -L, median" "$lcpu ms"
printf '%-44s %9s\n' "nesdoctor CPU (with children), median" "$cpu ms"
printf '%-44s %9s\n' "CPU ratio nesdoctor / toolbox" "$(awk -v a="$cpu" -v b="$tbcpu" 'BEGIN { printf "%.2f", a / b }')"
awk -v a="$nd" -v b="$tb" -v c="$cpu" 'BEGIN {
	printf "%s - wall time <= 0.4 x toolbox (%.2f)\n", (a <= 0.4 * b ? "met   " : "MISSED"), a / b
	printf "%s - CPU <= 25 ms (%s ms)\n", (c <= 25 ? "met   " : "MISSED"), c }'
