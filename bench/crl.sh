#!/bin/bash
# bench/crl.sh: how long `nesdoctor verify` takes with a large CRL (not part
# of ctest). N revoked entries are written into the test PKI's index.txt,
# the CRL is served on loopback in a private network namespace, and a
# revoked and a good certificate are checked: downloaded, then cached.
#   ND_BIN=build/nesdoctor N=200000 bash bench/crl.sh
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
: "${ND_BIN:?}"
if [ -z "${ND_BENCH_IN_NS:-}" ]; then
	u=""; [ "$(id -u)" -ne 0 ] && u="-r"
	export ND_BENCH_IN_NS=1
	exec timeout 300 unshare $u --net --mount --pid --fork --kill-child --mount-proc -- bash "$0" "$@"
fi
ip link set lo up
N=${N:-200000}
W=$(mktemp -d "${TMPDIR:-/tmp}/nd-bench.XXXXXX"); P=$W/pki
trap 'kill $srv 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
bash "$HERE/../tests/x509/mkpki.sh" "$P" 18081 18082 18083 18084 >/dev/null 2>&1 || exit 1
cd "$P"
exp=$(date -u -d '+1 year' +%y%m%d%H%M%SZ); revd=$(date -u -d '-1 day' +%y%m%d%H%M%SZ)
awk -v n="$N" -v e="$exp" -v r="$revd" 'BEGIN { for (i = 1; i <= n; i++)
	printf "R\t%s\t%s,keyCompromise\t%X\tunknown\t/CN=bulk %d\n", e, r, 1048576 + i, i }' >> int/index.txt
openssl ca -config pki.cnf -gencrl -crlexts crl_ext -out big.pem 2>/dev/null
openssl crl -in big.pem -outform DER -out www/int.crl
echo "CRL: $N entries, $(stat -c %s www/int.crl) bytes DER"
python3 -m http.server 18081 --bind 127.0.0.1 --directory www >/dev/null 2>&1 & srv=$!
sleep 1
# revcrl has no OCSP URL: the CRL decides
rm -rf "$W/c"; t=$(date +%s%N)
"$ND_BIN" verify --json --anchor root.pem --cache-dir "$W/c" revcrl.pem int.pem >/dev/null
echo "revoked, CRL downloaded: exit $?, $(ms $t) ms"
t=$(date +%s%N)
"$ND_BIN" verify --json --offline --anchor root.pem --cache-dir "$W/c" revcrl.pem int.pem >/dev/null
echo "revoked, CRL from the cache: exit $?, $(ms $t) ms"
