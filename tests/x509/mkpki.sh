#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# mkpki.sh DIR HTTP_PORT OCSP_PORT SILENT_PORT GARBAGE_PORT
# A test PKI shaped like Kamu SM's NES hierarchy, made with the openssl CLI:
#   root  EC P-384, self-signed                       (trusted with --anchor)
#   int   EC P-384, pathlen 0, Kamu SM-like policy,   AIA -> root.der
#   ocsp  delegated OCSP responder of int
#   end-user certificates issued by int through "openssl ca" (so that
#   int/index.txt drives the OCSP responder and the CRL):
#     good-rsa good-ec expired notyet expiring revoked revcrl noqc wrongku
#     badtckn silent garbage
#   other-ca + unknown: a certificate from a CA nobody knows (no AIA)
#   corrupt.der: a truncated certificate
# URLs point at 127.0.0.1 ports: HTTP (AIA, CRL), OCSP, and a server that
# never answers (SILENT) and one that answers garbage (GARBAGE).
set -euo pipefail
D=$1 HTTP=$2 OCSP=$3 SILENT=$4 GARBAGE=$5
mkdir -p "$D/int/newcerts" "$D/www"
cd "$D"
: > int/index.txt; echo 1000 > int/serial; echo 1000 > int/crlnumber

ee_ext() {  # ee_ext NAME OCSP_URL CRL_URL KEYUSAGE QC(yes/no)
	cat <<EOF
[ $1 ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, $4
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
certificatePolicies    = @nes_policy
EOF
	if [ -n "$2" ]; then
		echo "authorityInfoAccess    = OCSP;URI:$2, caIssuers;URI:http://127.0.0.1:$HTTP/int.der"
	else
		echo "authorityInfoAccess    = caIssuers;URI:http://127.0.0.1:$HTTP/int.der"
	fi
	echo "crlDistributionPoints  = URI:$3"
	# id-pe-qcStatements: QcCompliance and the BTK NES statement
	[ "$5" = yes ] && echo "1.3.6.1.5.5.7.1.3      = ASN1:SEQUENCE:qc_statements"
	echo
}

{
cat <<EOF
[ req ]
distinguished_name = dn
prompt             = no
string_mask        = utf8only
utf8               = yes
[ dn ]
CN = unused

[ v3_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ v3_int ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
certificatePolicies    = 2.16.792.1.2.1.1.5.7.1.1
authorityInfoAccess    = caIssuers;URI:http://127.0.0.1:$HTTP/root.der
crlDistributionPoints  = URI:http://127.0.0.1:$HTTP/root.crl

[ v3_ocsp ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = critical, OCSPSigning
authorityKeyIdentifier = keyid:always

# a NES carries a user notice (drivers-notes/kamusm-certificates.md)
[ nes_policy ]
policyIdentifier = 2.16.792.1.2.1.1.5.7.1.1
userNotice.1     = @nes_notice
[ nes_notice ]
explicitText     = "UTF8:Bu sertifika, 5070 sayılı Elektronik İmza Kanununa göre nitelikli elektronik sertifikadır."

[ qc_statements ]
qcCompliance = SEQUENCE:qc_compliance
qcNes        = SEQUENCE:qc_nes
[ qc_compliance ]
statementId  = OID:0.4.0.1862.1.1
[ qc_nes ]
statementId  = OID:2.16.792.1.61.0.1.5070.1.1

[ ca ]
default_ca = int_ca
[ int_ca ]
dir              = ./int
database         = \$dir/index.txt
new_certs_dir    = \$dir/newcerts
serial           = \$dir/serial
crlnumber        = \$dir/crlnumber
certificate      = ./int.pem
private_key      = ./int.key
default_md       = sha384
default_days     = 730
default_crl_days = 7
policy           = pol_any
unique_subject   = no
copy_extensions  = none
utf8             = yes
string_mask      = utf8only
[ pol_any ]
commonName       = supplied
serialNumber     = optional
[ crl_ext ]
authorityKeyIdentifier = keyid:always
EOF
ok="http://127.0.0.1:$OCSP/"
crl="http://127.0.0.1:$HTTP/int.crl"
ee_ext v3_ee "$ok" "$crl" nonRepudiation yes
ee_ext v3_ee_crlonly "" "$crl" nonRepudiation yes
ee_ext v3_ee_noqc "$ok" "$crl" nonRepudiation no
ee_ext v3_ee_wrongku "$ok" "$crl" "digitalSignature, keyEncipherment" yes
ee_ext v3_ee_silent "http://127.0.0.1:$SILENT/" "http://127.0.0.1:$SILENT/int.crl" nonRepudiation yes
ee_ext v3_ee_garbage "http://127.0.0.1:$GARBAGE/" "http://127.0.0.1:$GARBAGE/int.crl" nonRepudiation yes
} > pki.cnf

ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"$2" -out "$1.key" 2>/dev/null; }
rsa() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }
O="/C=TR/L=Gebze - Kocaeli/O=Test Bilimsel Araştırma Kurumu - TÜBİTAK/OU=BİLGEM"

ec root P-384; ec int P-384; ec ocsp P-256; ec other P-384
openssl req -new -x509 -config pki.cnf -extensions v3_root -key root.key -days 3650 -utf8 \
	-subj "$O/CN=Test Kamu SM Kök Sertifika Hizmet Sağlayıcısı - Sürüm 6" -out root.pem
openssl req -new -config pki.cnf -key int.key -utf8 \
	-subj "$O/CN=Test Kamu Elektronik Sertifika Hizmet Sağlayıcısı - Sürüm 6" |
	openssl x509 -req -CA root.pem -CAkey root.key -set_serial 0x2001 -days 3000 \
	-extfile pki.cnf -extensions v3_int -out int.pem 2>/dev/null
openssl req -new -config pki.cnf -key ocsp.key -utf8 -subj "$O/CN=Test OCSP Responder" |
	openssl x509 -req -CA int.pem -CAkey int.key -set_serial 0x2002 -days 365 \
	-extfile pki.cnf -extensions v3_ocsp -out ocsp.pem 2>/dev/null
openssl req -new -x509 -config pki.cnf -extensions v3_root -key other.key -days 3650 \
	-subj "/C=TR/O=Nobody/CN=Unknown Test CA" -out other-ca.pem

# issue NAME KEYTYPE EXT TCKN [openssl ca date options...]
issue() {
	local name=$1 kt=$2 ext=$3 id=$4; shift 4
	if [ "$kt" = rsa ]; then rsa "$name"; else ec "$name" P-256; fi
	openssl req -new -config pki.cnf -key "$name.key" -utf8 \
		-subj "/C=TR/CN=TEST KULLANICI ÇAĞRI/serialNumber=$id" -out "$name.csr"
	openssl ca -batch -config pki.cnf -extensions "$ext" -preserveDN -notext "$@" \
		-in "$name.csr" -out "$name.pem" 2>/dev/null
	openssl x509 -in "$name.pem" -outform DER -out "$name.der"
}
d() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
issue good-rsa rsa v3_ee 10000000146
issue good-ec ec v3_ee 12345678950
issue expired ec v3_ee 10000000146 -startdate 20200101000000Z -enddate 20210101000000Z
issue notyet ec v3_ee 10000000146 -startdate "$(d '+30 days')" -enddate "$(d '+2 years')"
issue expiring ec v3_ee 10000000146 -enddate "$(d '+10 days 1 hour')"
issue revoked ec v3_ee 10000000146
issue revcrl ec v3_ee_crlonly 10000000146
issue noqc ec v3_ee_noqc 10000000146
issue wrongku ec v3_ee_wrongku 10000000146
issue badtckn ec v3_ee 12345678901
issue silent ec v3_ee_silent 10000000146
issue garbage ec v3_ee_garbage 10000000146
openssl ca -config pki.cnf -revoke revoked.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -config pki.cnf -revoke revcrl.pem -crl_reason superseded 2>/dev/null

# a certificate from a CA that no anchor, file or AIA leads to
rsa unknown
openssl req -new -config pki.cnf -key unknown.key -subj "/C=TR/CN=UNKNOWN ISSUER USER/serialNumber=10000000146" |
	openssl x509 -req -CA other-ca.pem -CAkey other.key -set_serial 0x3001 -days 365 \
	-extfile pki.cnf -extensions v3_ee_crlonly -out unknown.pem 2>/dev/null

head -c 300 good-ec.der > corrupt.der

# what the HTTP server publishes: CA certificates (DER) and the CRL (DER)
openssl ca -config pki.cnf -gencrl -crlexts crl_ext -out int.crl.pem 2>/dev/null
openssl crl -in int.crl.pem -outform DER -out www/int.crl
openssl x509 -in int.pem -outform DER -out www/int.der
openssl x509 -in root.pem -outform DER -out www/root.der

# narrowcrl: no OCSP; its distribution point serves a CRL whose issuing
# distribution point limits it to CA certificates (RFC 5280 5.2.5): signed,
# in date, and yet no answer for an end-user certificate
{
ee_ext v3_ee_narrow "" "http://127.0.0.1:$HTTP/narrow.crl" nonRepudiation yes
cat <<EOC
[ crl_onlyca ]
authorityKeyIdentifier   = keyid:always
issuingDistributionPoint = critical, @idp_onlyca
[ idp_onlyca ]
fullname = URI:http://127.0.0.1:$HTTP/narrow.crl
onlyCA   = TRUE
EOC
} >> pki.cnf
issue narrowcrl ec v3_ee_narrow 10000000146
openssl ca -config pki.cnf -gencrl -crlexts crl_onlyca -out narrow.crl.pem 2>/dev/null
openssl crl -in narrow.crl.pem -outform DER -out www/narrow.crl

# The root's own CA database and CRL (root.crl, named in the intermediates'
# distribution point), and CAs beside int:
#   int-revoked      another issuing CA, revoked by the root (keyCompromise),
#                    with its own leaf good-under-revoked-int (and CRL)
#   int-silentcrl    int's name and key again, its CRL at the SILENT port
#   goodcrl          a good end-user certificate of int with a CRL, no OCSP
mkdir -p root/newcerts irev/newcerts
: > root/index.txt; echo 2100 > root/serial; echo 1000 > root/crlnumber
: > irev/index.txt; echo 1000 > irev/serial; echo 1000 > irev/crlnumber
{
cat <<EOC
[ root_ca ]
dir              = ./root
database         = \$dir/index.txt
new_certs_dir    = \$dir/newcerts
serial           = \$dir/serial
crlnumber        = \$dir/crlnumber
certificate      = ./root.pem
private_key      = ./root.key
default_md       = sha384
default_days     = 3000
default_crl_days = 30
policy           = pol_any
unique_subject   = no
copy_extensions  = none
[ irev_ca ]
dir              = ./irev
database         = \$dir/index.txt
new_certs_dir    = \$dir/newcerts
serial           = \$dir/serial
crlnumber        = \$dir/crlnumber
certificate      = ./int-revoked.pem
private_key      = ./int-revoked.key
default_md       = sha384
default_days     = 730
default_crl_days = 7
policy           = pol_any
unique_subject   = no
copy_extensions  = none
utf8             = yes
string_mask      = utf8only
[ v3_int_silentcrl ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
certificatePolicies    = 2.16.792.1.2.1.1.5.7.1.1
authorityInfoAccess    = caIssuers;URI:http://127.0.0.1:$HTTP/root.der
crlDistributionPoints  = URI:http://127.0.0.1:$SILENT/root.crl
EOC
cat <<EOC
[ v3_ee_irev ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, nonRepudiation
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
certificatePolicies    = @nes_policy
authorityInfoAccess    = caIssuers;URI:http://127.0.0.1:$HTTP/int-revoked.der
crlDistributionPoints  = URI:http://127.0.0.1:$HTTP/int-revoked.crl
1.3.6.1.5.5.7.1.3      = ASN1:SEQUENCE:qc_statements
EOC
} >> pki.cnf
ec int-revoked P-384
openssl req -new -config pki.cnf -key int-revoked.key -utf8 \
	-subj "$O/CN=Test Geri Alınmış Sertifika Hizmet Sağlayıcısı" -out int-revoked.csr
openssl ca -batch -config pki.cnf -name root_ca -extensions v3_int -preserveDN -notext \
	-in int-revoked.csr -out int-revoked.pem 2>/dev/null
openssl ca -config pki.cnf -name root_ca -revoke int-revoked.pem -crl_reason keyCompromise 2>/dev/null
openssl req -new -config pki.cnf -key int.key -utf8 \
	-subj "$O/CN=Test Kamu Elektronik Sertifika Hizmet Sağlayıcısı - Sürüm 6" |
	openssl x509 -req -CA root.pem -CAkey root.key -set_serial 0x2004 -days 3000 \
	-extfile pki.cnf -extensions v3_int_silentcrl -out int-silentcrl.pem 2>/dev/null
openssl ca -config pki.cnf -name root_ca -gencrl -crlexts crl_ext -out root.crl.pem 2>/dev/null
openssl crl -in root.crl.pem -outform DER -out www/root.crl
openssl x509 -in int-revoked.pem -outform DER -out www/int-revoked.der
ec good-under-revoked-int P-256
openssl req -new -config pki.cnf -key good-under-revoked-int.key -utf8 \
	-subj "/C=TR/CN=TEST KULLANICI ÇAĞRI/serialNumber=10000000146" -out good-under-revoked-int.csr
openssl ca -batch -config pki.cnf -name irev_ca -extensions v3_ee_irev -preserveDN -notext \
	-in good-under-revoked-int.csr -out good-under-revoked-int.pem 2>/dev/null
openssl ca -config pki.cnf -name irev_ca -gencrl -crlexts crl_ext -out int-revoked.crl.pem 2>/dev/null
openssl crl -in int-revoked.crl.pem -outform DER -out www/int-revoked.crl
issue goodcrl ec v3_ee_crlonly 10000000146

# The root's CRL limited by its issuing distribution point (RFC 5280
# 5.2.5): to CA certificates (covers an intermediate) and to end-user
# certificates (does not); int's name and key again, each naming one
#   int-caonly    -> root-caonly.crl     int-useronly -> root-useronly.crl
for k in caonly useronly; do
	cat >> pki.cnf <<EOC
[ v3_int_$k ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
certificatePolicies    = 2.16.792.1.2.1.1.5.7.1.1
authorityInfoAccess    = caIssuers;URI:http://127.0.0.1:$HTTP/root.der
crlDistributionPoints  = URI:http://127.0.0.1:$HTTP/root-$k.crl
[ crl_$k ]
authorityKeyIdentifier   = keyid:always
issuingDistributionPoint = critical, @idp_$k
[ idp_$k ]
fullname = URI:http://127.0.0.1:$HTTP/root-$k.crl
EOC
	if [ $k = caonly ]; then echo "onlyCA   = TRUE" >> pki.cnf; else echo "onlyuser = TRUE" >> pki.cnf; fi
	openssl req -new -config pki.cnf -key int.key -utf8 \
		-subj "$O/CN=Test Kamu Elektronik Sertifika Hizmet Sağlayıcısı - Sürüm 6" |
		openssl x509 -req -CA root.pem -CAkey root.key -set_serial "0x20$([ $k = caonly ] && echo 05 || echo 06)" \
		-days 3000 -extfile pki.cnf -extensions "v3_int_$k" -out "int-$k.pem" 2>/dev/null
	openssl ca -config pki.cnf -name root_ca -gencrl -crlexts "crl_$k" -out "root-$k.crl.pem" 2>/dev/null
	openssl crl -in "root-$k.crl.pem" -outform DER -out "www/root-$k.crl"
done
