#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/crl.sh: a CRL of N entries (1 000 000 by default) checked by
# `nesdoctor verify` from the cache, side by side with
# `openssl verify -crl_check` on the same CRL, alternately, RUNS times each
# (not part of ctest). Prints the median wall time and peak memory of both
# and the ratios, then the download path (the CRL served on loopback in a
# private network namespace) once.
#   ND_BIN=build-rel/nesdoctor [N=1000000] [RUNS=5] bash bench/crl.sh
# The CRL is written directly in DER by a small python script (python's
# cryptography for the names and the ECDSA P-384 signature of the test
# PKI's issuing CA); `openssl ca -gencrl` on an index of a million lines
# takes minutes.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
: "${ND_BIN:?}"
ND_BIN=$(realpath "$ND_BIN")
if [ -z "${ND_BENCH_IN_NS:-}" ]; then
	u=""; [ "$(id -u)" -ne 0 ] && u="-r"
	export ND_BENCH_IN_NS=1
	exec timeout 900 unshare $u --net --mount --pid --fork --kill-child --mount-proc -- bash "$0" "$@"
fi
ip link set lo up
N=${N:-1000000} RUNS=${RUNS:-5}
W=$(mktemp -d "${TMPDIR:-/tmp}/nd-bench.XXXXXX"); P=$W/pki
srv=""
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
bash "$HERE/../tests/x509/mkpki.sh" "$P" 18081 18082 18083 18084 >/dev/null 2>&1 || exit 1
cd "$P"
python3 - "$N" <<'EOF' || exit 1
import datetime, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
n = int(sys.argv[1])
def tlv(tag, body):
    l = len(body)
    if l < 0x80: h = bytes([l])
    else:
        b = l.to_bytes((l.bit_length() + 7) // 8, "big"); h = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + h + body
def integer(v):
    return tlv(0x02, v.to_bytes(v.bit_length() // 8 + 1, "big"))
def utc(t):
    return tlv(0x17, t.strftime("%y%m%d%H%M%SZ").encode())
ca = x509.load_pem_x509_certificate(open("int.pem", "rb").read())
key = serialization.load_pem_private_key(open("int.key", "rb").read(), None)
leaf = x509.load_pem_x509_certificate(open("revcrl.pem", "rb").read())
now = datetime.datetime.now(datetime.timezone.utc)
alg = tlv(0x30, tlv(0x06, bytes.fromhex("2a8648ce3d040303")))   # ecdsa-with-SHA384
rdate = utc(now - datetime.timedelta(days=1))
reason = tlv(0x30, tlv(0x30, tlv(0x06, b"\x55\x1d\x15") + tlv(0x04, b"\x0a\x01\x01")))
parts = []
for i in range(n):
    s = leaf.serial_number if i == n // 2 else 0x100000 + i   # the leaf half way
    parts.append(tlv(0x30, integer(s) + rdate + reason))
entries = tlv(0x30, b"".join(parts))
exts = tlv(0xa0, tlv(0x30, tlv(0x30, tlv(0x06, b"\x55\x1d\x14") + tlv(0x04, integer(4242)))))
tbs = tlv(0x30, integer(1) + alg + ca.subject.public_bytes() + utc(now - datetime.timedelta(hours=1))
          + utc(now + datetime.timedelta(days=7)) + entries + exts)
sig = key.sign(tbs, ec.ECDSA(hashes.SHA384()))
open("www/int.crl", "wb").write(tlv(0x30, tbs + alg + tlv(0x03, b"\x00" + sig)))
EOF
openssl crl -inform DER -in www/int.crl -out big.pem 2>/dev/null || { echo "openssl cannot read the CRL"; exit 1; }
echo "CRL: $N entries, $(stat -c %s www/int.crl) bytes DER; nesdoctor $("$ND_BIN" --version 2>/dev/null | head -1)"
python3 -m http.server 18081 --bind 127.0.0.1 --directory www >/dev/null 2>&1 & srv=$!
for _ in $(seq 50); do ss -ltn | grep -q ':18081 ' && break; sleep 0.1; done

# one measured run: "seconds maxrss_KiB exit"
run() { /usr/bin/time -f "%e %M %x" -o "$W/t" "$@" >/dev/null 2>&1; cat "$W/t" | tail -1; }
ND=("$ND_BIN" verify --json --offline --anchor root.pem --cache-dir "$W/c" revcrl.pem int.pem)
OS=(openssl verify -crl_check -CAfile root.pem -untrusted int.pem -CRLfile big.pem revcrl.pem)

# the download path, once: streamed into the parser and the cache
rm -rf "$W/c"
read -r s m x < <(run "$ND_BIN" verify --json --anchor root.pem --cache-dir "$W/c" revcrl.pem int.pem)
echo "nesdoctor, CRL downloaded and verified: ${s} s, peak ${m} KiB, exit $x"
"${ND[@]}" > "$W/nd.json" 2>/dev/null
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["inventory"]["revocation"]; print("  from the cache:", r["status"], r.get("reason"), "cached", r.get("cached"), "signature", r.get("crl_signature"))' "$W/nd.json"
"${OS[@]}" 2>&1 | tail -1 | sed 's/^/  openssl: /'

nd_t=() nd_m=() os_t=() os_m=()
for i in $(seq "$RUNS"); do
	read -r s m x < <(run "${ND[@]}"); nd_t+=("$s"); nd_m+=("$m")
	read -r s m x < <(run "${OS[@]}"); os_t+=("$s"); os_m+=("$m")
done
med() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
NT=$(med "${nd_t[@]}") NM=$(med "${nd_m[@]}") OT=$(med "${os_t[@]}") OM=$(med "${os_m[@]}")
echo "runs: $RUNS each, alternating"
printf '%-44s %8s s %10s KiB\n' "nesdoctor verify --offline (CRL from the cache)" "$NT" "$NM"
printf '%-44s %8s s %10s KiB\n' "openssl verify -crl_check" "$OT" "$OM"
awk -v nt="$NT" -v ot="$OT" -v nm="$NM" -v om="$OM" 'BEGIN {
	printf "ratios: openssl/nesdoctor time %.1fx, memory %.1fx\n", ot / (nt > 0 ? nt : 0.001), om / nm }'
