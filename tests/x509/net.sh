#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The network part of `nesdoctor verify`: every kind of failure ends with
# its stable error word in inventory.x509.network[] and a remedy, at once
# when the failure is immediate (refused, no route, no such name), and
# within the one --timeout budget of the whole run otherwise. Plus the
# progress line on a terminal. In private network, mount and PID
# namespaces: only "lo" exists, /etc/resolv.conf is replaced by a
# bind mount, every server dies with the script. Bounded by `timeout`.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
: "${ND_BIN:?ND_BIN must name the nesdoctor binary}"
x509_ns 150 net "$@"
unset http_proxy HTTP_PROXY no_proxy NO_PROXY

# ports: mkpki's four, then ours; CLOSED has nothing listening
HTTP=18181 OCSP=18182 SILENT=18183 GARBAGE=18184
CLOSED=18190 DRIP=18191 S404=18192 S500=18193 HTML=18194 BIG=18195 P407=18196 P502=18197 SLOW=18198
bash "$HERE/mkpki.sh" "$W/pki" $HTTP $OCSP $SILENT $GARBAGE >/dev/null || { echo "mkpki failed"; exit 1; }
P=$W/pki

# end-user certificates of the test PKI whose OCSP / CRL / AIA URLs point
# where each test needs them: mk NAME OCSP_URL CRL_URL [AIA_URL]
ekey=$W/ee.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$ekey" 2>/dev/null
serial=$((0x5000))
mk() {
	local name=$1 ocsp=$2 crl=$3 aia=${4:-http://127.0.0.1:$HTTP/int.der}
	{
		cat "$P/pki.cnf"
		echo "[ x_$name ]"
		echo "basicConstraints = critical, CA:FALSE"
		echo "keyUsage = critical, nonRepudiation"
		echo "subjectKeyIdentifier = hash"
		echo "authorityKeyIdentifier = keyid:always"
		echo "certificatePolicies = 2.16.792.1.2.1.1.5.7.1.1"
		if [ -n "$ocsp" ]; then
			echo "authorityInfoAccess = OCSP;URI:$ocsp, caIssuers;URI:$aia"
		else
			echo "authorityInfoAccess = caIssuers;URI:$aia"
		fi
		[ -n "$crl" ] && echo "crlDistributionPoints = URI:$crl"
		echo "1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qc_statements"
	} >"$W/$name.cnf"
	serial=$((serial + 1))
	openssl req -new -config "$W/$name.cnf" -key "$ekey" -utf8 \
		-subj "/C=TR/CN=TEST KULLANICI/serialNumber=10000000146" 2>/dev/null |
		openssl x509 -req -CA "$P/int.pem" -CAkey "$P/int.key" -set_serial $serial -days 365 \
		-extfile "$W/$name.cnf" -extensions "x_$name" -out "$W/$name.pem" 2>/dev/null ||
		{ echo "could not make $name"; exit 1; }
}
L=http://127.0.0.1
mk refused "$L:$CLOSED/" ""
mk dns "http://ocsp.nesdoctor-test.invalid/" ""
mk noroute "http://192.0.2.1/" ""
mk viaproxy "$L:$OCSP/" ""
mk silent "$L:$SILENT/" ""
mk drip "" "$L:$DRIP/int.crl"
mk html "$L:$HTML/" ""
mk s404 "" "$L:$S404/int.crl"
mk s500 "$L:$S500/" ""
mk big "" "$L:$BIG/int.crl"
mk bothsilent "$L:$SILENT/" "$L:$SILENT/int.crl"
mk aiarefused "$L:$OCSP/" "" "$L:$CLOSED/int.der"
mk slow "" "$L:$SLOW/int.crl"

bg "$W/silent.log" python3 "$HERE/netservers.py" silent $SILENT
bg "$W/drip.log" python3 "$HERE/netservers.py" drip $DRIP
bg "$W/404.log" python3 "$HERE/netservers.py" status $S404 404
bg "$W/500.log" python3 "$HERE/netservers.py" status $S500 500
bg "$W/html.log" python3 "$HERE/netservers.py" html $HTML
bg "$W/big.log" python3 "$HERE/netservers.py" big $BIG
bg "$W/407.log" python3 "$HERE/netservers.py" status $P407 407
bg "$W/502.log" python3 "$HERE/netservers.py" status $P502 502
bg "$W/slow.log" python3 "$HERE/netservers.py" slow $SLOW "$P/www/int.crl"
wait_ports $SILENT $DRIP $S404 $S500 $HTML $BIG $P407 $P502 $SLOW

# t NAME TIMEOUT MAX_MS ARGS... -- EXPECTATIONS...   (see jcheck.py)
# MAX_MS bounds the wall time of the whole run
t() {
	local name=$1 to=$2 max=$3
	shift 3
	T_MAX_MS=$max x509_t "$name" --timeout "$to" --anchor "$P/root.pem" --cache-dir "$W/cache-$name" "$@"
}
# the time the request itself took, from network[N].ms
netms() { jq -r ".inventory.x509.network[$2].ms" "$W/$1.json"; }

I=$P/int.pem
N=inv:x509.network
# immediate failures: with --timeout 10, the whole run in well under 3 s
# (the start of an ASan build on a busy machine included), the request
# itself in under 200 ms
t refused 10 3000 "$W/refused.pem" "$I" -- exit=1 cert.revocation=warn $N[0].error=refused \
	$N[0].purpose=ocsp $N[0].ok=false "$N[0].detail~refused" "msg:cert.revocation~127.0.0.1:$CLOSED" \
	remedy:cert.revocation~firewall remedy:cert.revocation~depo.kamusm.gov.tr
check "refused: the request itself took $(netms refused 0) ms" "[ $(netms refused 0) -lt 200 ]"
timeout 30 "$ND_BIN" verify --lang tr --no-color --timeout 10 --anchor "$P/root.pem" \
	--cache-dir "$W/cache-tr" "$W/refused.pem" "$I" >"$W/tr.txt" 2>&1
check "refused: the remedy in Turkish" "grep -q 'güvenlik duvarı' '$W/tr.txt' && grep -q 'ulaşılamıyor' '$W/tr.txt'"
t noroute 10 3000 "$W/noroute.pem" "$I" -- exit=1 cert.revocation=warn $N[0].error=unreachable \
	remedy:cert.revocation~"no network route" remedy:cert.revocation~--offline
check "no route: the request itself took $(netms noroute 0) ms" "[ $(netms noroute 0) -lt 200 ]"
# the CA certificate is not given: its AIA download is refused
t aia-refused 10 3000 "$W/aiarefused.pem" -- exit=3 cert.chain=warn $N[0].purpose=aia \
	$N[0].error=refused remedy:cert.chain~firewall

# name lookups: a name server that refuses (nothing on port 53) fails at
# once; one that swallows the questions is cut off by the budget
mount --bind /dev/null /etc/hosts 2>/dev/null || true
printf 'nameserver 127.0.0.1\n' >"$W/resolv.conf"
if mount --bind "$W/resolv.conf" /etc/resolv.conf; then
	t dns 10 3000 "$W/dns.pem" "$I" -- exit=1 cert.revocation=warn $N[0].error=dns \
		"$N[0].detail~ocsp.nesdoctor-test.invalid" remedy:cert.revocation~DNS
	check "dns: the request itself took $(netms dns 0) ms" "[ $(netms dns 0) -lt 200 ]"
	bg "$W/dns.log" python3 "$HERE/netservers.py" dns 53
	sleep 0.5
	t dns-silent 2 3500 "$W/dns.pem" "$I" -- exit=1 cert.revocation=warn $N[0].error=dns \
		"$N[0].detail~did not answer in time"
else
	echo "FAIL - could not bind-mount /etc/resolv.conf"
	fail=$((fail + 1))
fi

# proxies: one that refuses, one that wants a password, one whose upstream fails
export http_proxy=$L:$CLOSED
t proxy-refused 10 3000 "$W/viaproxy.pem" "$I" -- exit=1 cert.revocation=warn $N[0].error=proxy \
	"$N[0].proxy~127.0.0.1:$CLOSED" "$N[0].detail~refused" remedy:cert.revocation~http_proxy \
	remedy:cert.revocation~no_proxy
check "proxy refused: the request itself took $(netms proxy-refused 0) ms" "[ $(netms proxy-refused 0) -lt 200 ]"
export http_proxy=$L:$P407
t proxy-407 10 3000 "$W/viaproxy.pem" "$I" -- exit=1 cert.revocation=warn $N[0].error=proxy \
	$N[0].http_status=407 "$N[0].detail~authentication" \
	remedy:cert.revocation~password remedy:cert.revocation~no_proxy
export http_proxy=$L:$P502
t proxy-502 10 3000 "$W/viaproxy.pem" "$I" -- exit=1 $N[0].error=proxy $N[0].http_status=502 \
	remedy:cert.revocation~http_proxy
unset http_proxy

# servers that answer badly: at once
t html 10 3000 "$W/html.pem" "$I" -- exit=1 cert.revocation=warn $N[0].error=bad_response \
	"$N[0].detail~HTML" remedy:cert.revocation~proxy
t http-404 10 3000 "$W/s404.pem" "$I" -- exit=1 cert.revocation=warn $N[0].purpose=crl \
	$N[0].error=http_status $N[0].http_status=404 "msg:cert.revocation~HTTP 404" \
	remedy:cert.revocation~"444 5 576"
t http-500 10 3000 "$W/s500.pem" "$I" -- exit=1 $N[0].error=http_status $N[0].http_status=500
t too-large 10 3000 "$W/big.pem" "$I" -- exit=1 cert.revocation=warn $N[0].error=too_large \
	"$N[0].detail~larger than"

# servers that never finish: bounded by the budget (--timeout 2)
t silent 2 3500 "$W/silent.pem" "$I" -- exit=1 cert.revocation=warn $N[0].error=timeout \
	remedy:cert.revocation~http_proxy
t drip 2 3500 "$W/drip.pem" "$I" -- exit=1 cert.revocation=warn $N[0].error=timeout
# OCSP and CRL both silent: one budget for the two, the CRL is not tried
t both-silent 2 3500 "$W/bothsilent.pem" "$I" -- exit=1 cert.revocation=warn \
	$N[0].purpose=ocsp $N[0].error=timeout $N[1].purpose=crl $N[1].error=timeout \
	"$N[1].detail~not tried"

# the progress line: on a terminal in text mode, not in JSON, not on a pipe
# (a script file, not an exported function: `script` runs $SHELL, which
# is /bin/sh or unset on CI and does not see bash's exported functions)
cat > "$W/run_slow" <<EOF
#!/bin/bash
k=\$1; shift
exec timeout 30 "$ND_BIN" verify --lang en --no-color --timeout 10 \\
	--anchor "$P/root.pem" --cache-dir "$W/cache-slow\$k" "\$@" "$W/slow.pem" "$I"
EOF
chmod +x "$W/run_slow"
run_slow() { "$W/run_slow" "$@"; }
timeout 40 script -q -e -c "$W/run_slow 1" "$W/tty.txt" >/dev/null 2>&1
check "progress: shown on a terminal" "grep -q 'downloading the CRL from 127.0.0.1: 1 kB' '$W/tty.txt'"
check "progress: cleared in place" "grep -q \$'\\r\\033\\[K' '$W/tty.txt' && grep -q 'not revoked' '$W/tty.txt'"
timeout 40 script -q -e -c "$W/run_slow 2 --json" "$W/tty-json.txt" >/dev/null 2>&1
check "progress: not in JSON" "grep -q '\"verdict\"' '$W/tty-json.txt' && ! grep -q 'downloading' '$W/tty-json.txt'"
run_slow 3 >"$W/pipe.out" 2>"$W/pipe.err"
check "progress: not when stderr is a pipe" "grep -q 'not revoked' '$W/pipe.out' && ! grep -q 'downloading' '$W/pipe.err'"

echo "x509 net: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
