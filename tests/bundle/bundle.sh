#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# nesdoctor bundle in the end-to-end world (tests/e2e/lib.sh: pcscd + a
# virtual AKIS card + a SoftHSM2 token holding the test PKI's certificate,
# whose subject holds a TCKN and the holder's name, labelled <TCKN>NES0),
# with a pcscd log (NESDOCTOR_PCSCD_LOG) that names both:
#  - the TCKN and the holder's full name appear nowhere in the unpacked
#    bundle (report.json included), the initials do;
#  - `show` of the bundle prints report.txt exactly, and the text report of
#    `check` in the same world (modulo the time line and the name);
#  - every file README.txt lists is there, and nothing else;
#  - exit codes: the check's (0 here), 73 when the file cannot be written
#    (no partial file left), 64 for --show-id; a truncated bundle is a
#    clear error for show;
#  - the default name nesdoctor-<host>-<UTC time>.tar.gz;
#  - pcscd stopped: the bundle is still made, README.txt says what is left
#    out.
. "$(cd "$(dirname "$0")/../e2e" && pwd)/lib.sh" || exit 1
rig_enter_ns "$@"
e2e_world
e2e_token rsa good-rsa
e2e_card "$UEKAE"
e2e_use rsa
NAME="TEST KULLANICI ÇAĞRI"
INITIALS="T. K. Ç."
LOG=$RIG_WORK/pcscd-test.log
{
	echo "00000000 ifdhandler.c:150:IFDHOpenChannel() lun: 0"
	echo "00000010 eventhandler.c:300:EHStatusHandlerThread() card in Virtual PCD 00 00: label ${TCKN}NES0"
	echo "00000020 winscard.c:100:SCardConnect() pcscd: holder $NAME ($TCKN)"
} > "$LOG"
export NESDOCTOR_PCSCD_LOG=$LOG

# the text report of check in this world, in Turkish (a cache of its own)
CACHE=c1 nd_text good tr
cp "$OUT" "$RIG_WORK/check.txt"

# ---- the bundle
B=$RIG_WORK/b.tar.gz
# shellcheck disable=SC2046
CACHE=c2 run bundle bundle --lang tr $(nd_opts x) -o "$B"
expect_rc 0 "bundle of a ready device: the check's exit code"
has "$OUT" "$B" "bundle: prints the file name"
if grep -qE "\(([0-9]+) bayt\)" "$OUT" && [ "$(grep -oE '[0-9]+ bayt' "$OUT" | cut -d' ' -f1)" = "$(stat -c %s "$B")" ]; then
	ok "bundle: prints the file's size"
else bad "bundle: no size, or not the file's"; show "$OUT"; fi
X=$RIG_WORK/x; mkdir -p "$X"
if tar xzf "$B" -C "$X"; then ok "bundle: a .tar.gz that tar unpacks"; else bad "bundle: tar cannot unpack it"; fi
D=$(echo "$X"/nesdoctor-*)
[ -d "$D" ] && ok "bundle: one folder nesdoctor-<host>-<time>" || { bad "bundle: no folder"; ls -R "$X"; }
if grep -rqF "$TCKN" "$X"; then bad "bundle: the TCKN is in the bundle"; grep -rnF "$TCKN" "$X" | head -5
else ok "bundle: the TCKN appears nowhere (report.json, report.txt, the log, ...)"; fi
if grep -rqiF "$NAME" "$X"; then bad "bundle: the holder's name is in the bundle"; grep -rniF "$NAME" "$X" | head -5
else ok "bundle: the holder's full name appears nowhere"; fi
has "$D/pcscd.log" "100******46NES0" "bundle: the log's TCKN label masked"
has "$D/pcscd.log" "holder $INITIALS (100******46)" "bundle: the log's holder name as initials"
has "$D/report.txt" "$INITIALS" "bundle: report.txt names the holder by initials"
jcheck "$D/report.json" "bundle: report.json is the full check, names as initials" \
	'd["schema"] == "nesdoctor.report/1" and d["command"] == "check" and d["lang"] == "tr" and d["exit_code"] == 0' \
	"inv['signing_certificate']['holder']['name'] == '$INITIALS'" \
	"inv['signing_certificate']['label'] == '100******46NES0'"
has "$D/versions.txt" "nesdoctor " "bundle: versions.txt names nesdoctor's version"
has "$D/versions.txt" "libsofthsm2.so: ok; cryptoki" "bundle: versions.txt has the module's C_GetInfo"
has "$D/versions.txt" "[os-release]" "bundle: versions.txt has os-release"
jcheck "$D/usb.json" "bundle: usb.json holds the USB devices and the IFD bundles" \
	'set(d) == {"usb", "usb_scan", "ifd_drivers"}'
# README.txt's list, against the files
listed=$(awk '/^In this bundle:|^Bu pakette:/{f=1; next} f && /^  [^ ]/{print $1; next} f && /^$/{exit}' "$D/README.txt" | sort)
present=$(cd "$D" && ls | grep -v '^README.txt$' | sort)
if [ -n "$listed" ] && [ "$listed" = "$present" ]; then ok "bundle: README.txt lists exactly the files ($(echo $listed))"
else bad "bundle: README.txt lists '$(echo $listed)', the bundle holds '$(echo $present)'"; show "$D/README.txt"; fi
has "$D/README.txt" "pcscd.log" "bundle: README.txt names the log"

# ---- show
run show show --no-color "$B"
expect_rc 0 "show of the bundle: the report's exit code"
if cmp -s "$OUT" "$D/report.txt"; then ok "show of the bundle prints report.txt exactly"
else bad "show differs from report.txt"; diff "$OUT" "$D/report.txt" | head -20; fi
LANG=C LC_ALL=C run show-c show --no-color "$D/report.json"
if cmp -s "$OUT" "$D/report.txt"; then ok "show of report.json in the C locale: the report's language (Turkish), the same text"
else bad "show of report.json differs"; diff "$OUT" "$D/report.txt" | head -20; fi
# (the network's times differ from run to run)
sed -E -e 1d -e "s/$NAME/$INITIALS/g" -e 's/ ok [0-9]+ ms$/ ok N ms/' "$RIG_WORK/check.txt" > "$RIG_WORK/check.cmp"
sed -E -e 1d -e 's/ ok [0-9]+ ms$/ ok N ms/' "$D/report.txt" > "$RIG_WORK/show.cmp"
if cmp -s "$RIG_WORK/check.cmp" "$RIG_WORK/show.cmp"; then ok "show reproduces check's text report (but the time line and the name)"
else bad "show differs from check's text report"; diff "$RIG_WORK/check.cmp" "$RIG_WORK/show.cmp" | head -20; fi
run show-json show --json "$B"
jcheck "$OUT" "show --json: the report JSON back" 'd["schema"] == "nesdoctor.report/1" and d["exit_code"] == 0'
head -c $(($(stat -c %s "$B") / 2)) "$B" > "$RIG_WORK/cut.tar.gz"
run show-cut show "$RIG_WORK/cut.tar.gz"
expect_rc 64 "show of a truncated bundle"
has "$ERR" "cut.tar.gz" "show of a truncated bundle: names the file"
lacks "$ERR" "AddressSanitizer" "show of a truncated bundle: no crash"

# ---- the default name, in the current folder
mkdir -p "$RIG_WORK/here"
# shellcheck disable=SC2046
(cd "$RIG_WORK/here" && CACHE=c3 run here bundle --lang en $(nd_opts x) && echo "$RC" > "$RIG_WORK/here.rc")
f=$(cd "$RIG_WORK/here" && ls)
if [[ $f =~ ^nesdoctor-[A-Za-z0-9._-]+-[0-9]{8}T[0-9]{6}Z\.tar\.gz$ ]]; then ok "bundle: default name $f"
else bad "bundle: default name '$f'"; fi
has "$RIG_WORK/here.out" "Bundle written: $f (" "bundle: says the default name"

# ---- cannot be written: a clear message, 73, nothing left behind
# shellcheck disable=SC2046
run nodir bundle --lang en $(nd_opts x) -o /nonexistent/dir/x.tar.gz
expect_rc 73 "bundle into a folder that does not exist"
has "$ERR" "cannot write the bundle /nonexistent/dir/x.tar.gz: No such file or directory" "bundle: says why"
mkdir -p "$RIG_WORK/adir"
# shellcheck disable=SC2046
run isdir bundle --lang en $(nd_opts x) -o "$RIG_WORK/adir"
expect_rc 73 "bundle onto a folder"
has "$ERR" "cannot write the bundle" "bundle onto a folder: says why"
if ls "$RIG_WORK" | grep -q '^adir\.'; then bad "bundle onto a folder: a partial file was left"; ls "$RIG_WORK"
else ok "bundle onto a folder: no partial file left"; fi
run showid bundle --show-id -o "$RIG_WORK/s.tar.gz"
expect_rc 64 "bundle --show-id is refused"
[ -e "$RIG_WORK/s.tar.gz" ] && bad "bundle --show-id: a file was written" || ok "bundle --show-id: nothing written"

# ---- the system's tar packs a private folder, removed on every path
mkdir -p "$RIG_WORK/tmpd"
# shellcheck disable=SC2046
TMPDIR=$RIG_WORK/tmpd CACHE=c5 run tmpd bundle --lang en $(nd_opts x) -o "$RIG_WORK/t.tar.gz"
expect_rc 0 "bundle with TMPDIR set"
[ -z "$(ls -A "$RIG_WORK/tmpd")" ] && ok "bundle: its temporary folder is removed" || { bad "bundle: left in TMPDIR"; ls -lR "$RIG_WORK/tmpd"; }
if tar tvzf "$RIG_WORK/t.tar.gz" | awk '$2 != "0/0" {exit 1}'; then ok "bundle: every member owned by 0/0"
else bad "bundle: members not owned by 0/0"; tar tvzf "$RIG_WORK/t.tar.gz"; fi
mkdir -p "$RIG_WORK/faketar"
printf '#!/bin/sh\necho "tar: simulated failure" >&2\nexit 2\n' > "$RIG_WORK/faketar/tar"
chmod +x "$RIG_WORK/faketar/tar"
# shellcheck disable=SC2046
PATH=$RIG_WORK/faketar:$PATH TMPDIR=$RIG_WORK/tmpd CACHE=c6 run badtar bundle --lang en $(nd_opts x) -o "$RIG_WORK/f.tar.gz"
expect_rc 73 "bundle when tar fails"
has "$ERR" "cannot write the bundle $RIG_WORK/f.tar.gz: tar: simulated failure" "bundle when tar fails: says tar's reason"
if ls "$RIG_WORK" | grep -q '^f\.tar\.gz'; then bad "bundle when tar fails: a file was left"; ls "$RIG_WORK"
else ok "bundle when tar fails: nothing left beside the target"; fi
[ -z "$(ls -A "$RIG_WORK/tmpd")" ] && ok "bundle when tar fails: its temporary folder is removed" || { bad "bundle when tar fails: left in TMPDIR"; ls -lR "$RIG_WORK/tmpd"; }

# ---- pcscd missing: still a bundle, README.txt says what was left out
rig_pcscd_stop
export NESDOCTOR_PCSCD_LOG=$RIG_WORK/no-such.log
# shellcheck disable=SC2046
CACHE=c4 run nopcscd bundle --lang en $(nd_opts x) -o "$RIG_WORK/n.tar.gz"
expect_rc 2 "bundle without pcscd: not ready, still made"
mkdir -p "$RIG_WORK/n" && tar xzf "$RIG_WORK/n.tar.gz" -C "$RIG_WORK/n"
N=$(echo "$RIG_WORK"/n/nesdoctor-*)
has "$N/README.txt" "Left out, and why:" "bundle without pcscd: README.txt has what was left out"
has "$N/README.txt" "readers and cards: pcscd is not running" "bundle without pcscd: README.txt says no reader could be listed"
has "$N/README.txt" "pcscd.log: $RIG_WORK/no-such.log does not exist" "bundle without pcscd: README.txt says why there is no log"
[ -e "$N/pcscd.log" ] && bad "bundle without pcscd: a pcscd.log" || ok "bundle without pcscd: no pcscd.log"
run show-n show "$RIG_WORK/n.tar.gz"
expect_rc 2 "show of the bundle without pcscd: exit 2"
has "$OUT" "NOT READY" "show of the bundle without pcscd: not ready"
cmp -s "$OUT" "$N/report.txt" && ok "show of the bundle without pcscd: its report.txt" || bad "show of the bundle without pcscd differs from its report.txt"
finish
