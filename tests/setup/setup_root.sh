#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# `nesdoctor setup` in a scratch folder: the dry run writes nothing, --apply
# writes the expected files, a second --apply changes nothing, a changed
# file is backed up first; usage errors; refusal without root; the nss part
# against a stand-in modutil. Never writes outside its scratch folder.
set -u
: "${ND_BIN:?}" "${ND_BUILD:?}"
W=$(mktemp -d "${TMPDIR:-/tmp}/nd-setup.XXXXXX")
trap 'rm -rf "$W"' EXIT
export ASAN_OPTIONS="detect_leaks=1" NO_COLOR=1
R=$W/root
LIB=$W/opt/Akia/libakisp11.so
mkdir -p "$(dirname "$LIB")" && touch "$LIB"
pass=0 fail=0
ok() { echo "ok   - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
expect() { # expect WHAT COMMAND...: the command succeeds
	local what=$1; shift
	if "$@" > /dev/null; then ok "$what"; else bad "$what"; fi
}
snapshot() { (cd "$R" 2>/dev/null && find . -printf '%p %y %s %T@ %l\n' | sort); }
setup() { "$ND_BIN" setup --lang en --root "$R" --module "$LIB" --polkit-group esign udev p11-kit pcscd polkit "$@"; }

# 1. the dry run
setup > "$W/dry.txt"; rc=$?
expect "dry run: exit 1 (changes pending)" [ "$rc" -eq 1 ]
expect "dry run: nothing written (no $R)" [ ! -e "$R" ]
expect "dry run: the plan names each file" grep -qE "write +/etc/udev/rules.d/70-nesdoctor.rules" "$W/dry.txt"
grep -qE "link +/etc/systemd/system/sockets.target.wants/pcscd.socket" "$W/dry.txt" &&
	grep -q "/etc/pkcs11/modules/akis.module" "$W/dry.txt" && grep -q "60-nesdoctor-pcsc.rules" "$W/dry.txt" &&
	grep -q "udevadm control --reload" "$W/dry.txt" && ok "dry run: files, link and commands listed" || { bad "dry run listing"; cat "$W/dry.txt"; }
setup --json > "$W/dry.json"
expect "dry run JSON: report shape with a plan array" jq -e '.schema == "nesdoctor.report/1" and .command == "setup" and .exit_code == 1 and .setup.apply == false and ([.plan[] | select(.action == "write" or .action == "symlink") | .state] | all(. == "pending"))' "$W/dry.json"

# 2. --apply
setup --apply > "$W/apply.txt"; rc=$?
expect "apply: exit 0" [ "$rc" -eq 0 ]
expect "udev rules are the ones the build generated" cmp -s "$R/etc/udev/rules.d/70-nesdoctor.rules" "$ND_BUILD/udev/70-nesdoctor.rules"
expect "udev rules give uaccess to the ACR39U" grep -q 'ATTR{idVendor}=="072f", ATTR{idProduct}=="b100", TAG+="uaccess"' "$R/etc/udev/rules.d/70-nesdoctor.rules"
expect "p11-kit module file names the library" grep -qx "module: $LIB" "$R/etc/pkcs11/modules/akis.module"
expect "polkit rule for the group" grep -q 'subject.isInGroup("esign")' "$R/etc/polkit-1/rules.d/60-nesdoctor-pcsc.rules"
expect "polkit rule for both pcsc-lite actions" grep -q 'org.debian.pcsc-lite.access_card' "$R/etc/polkit-1/rules.d/60-nesdoctor-pcsc.rules"
expect "pcscd.socket enabled as systemctl would" test "$(readlink "$R/etc/systemd/system/sockets.target.wants/pcscd.socket")" != ""
expect "files are 0644" test "$(stat -c %a "$R/etc/udev/rules.d/70-nesdoctor.rules")" = 644
expect "commands are not run under --root" grep -q "commands are not run under --root" "$W/apply.txt"

# 3. a second --apply changes nothing
snapshot > "$W/before"
sleep 0.01
setup --apply --json > "$W/again.json"; rc=$?
snapshot > "$W/after"
expect "second apply: exit 0" [ "$rc" -eq 0 ]
expect "second apply: not one file touched" cmp -s "$W/before" "$W/after"
expect "second apply: every step ok" jq -e '[.plan[] | select(.action != "run") | .state] | all(. == "ok")' "$W/again.json"

# 4. a changed file is backed up before it is replaced
echo "# a local change" >> "$R/etc/udev/rules.d/70-nesdoctor.rules"
cp "$R/etc/udev/rules.d/70-nesdoctor.rules" "$W/changed"
"$ND_BIN" setup --lang en --root "$R" udev --apply --json > "$W/backup.json"; rc=$?
expect "changed file: exit 0" [ "$rc" -eq 0 ]
expect "changed file: the old one kept as .nesdoctor-bak" cmp -s "$W/changed" "$R/etc/udev/rules.d/70-nesdoctor.rules.nesdoctor-bak"
expect "changed file: the new one written" cmp -s "$R/etc/udev/rules.d/70-nesdoctor.rules" "$ND_BUILD/udev/70-nesdoctor.rules"
expect "changed file: JSON names the backup" jq -e '.plan[0].replaces == true and (.plan[0].backup | endswith("70-nesdoctor.rules.nesdoctor-bak"))' "$W/backup.json"
echo "# another change" >> "$R/etc/udev/rules.d/70-nesdoctor.rules"
"$ND_BIN" setup --lang en --root "$R" udev --apply > /dev/null
expect "an earlier backup is never overwritten (.nesdoctor-bak.1)" cmp -s "$W/changed" "$R/etc/udev/rules.d/70-nesdoctor.rules.nesdoctor-bak"
expect "the second backup is .nesdoctor-bak.1" grep -q "another change" "$R/etc/udev/rules.d/70-nesdoctor.rules.nesdoctor-bak.1"

# 5. usage errors: exit 64, nothing written
rm -rf "$W/u"
"$ND_BIN" setup --root "$W/u" polkit --apply 2> "$W/err"; rc=$?
expect "polkit without --polkit-group: 64" [ "$rc" -eq 64 ]
expect "polkit without --polkit-group: says so" grep -q -- "--polkit-group" "$W/err"
"$ND_BIN" setup --root "$W/u" polkit --polkit-group 'Bad Group' --apply 2> /dev/null; rc=$?
expect "bad group name: 64" [ "$rc" -eq 64 ]
"$ND_BIN" setup --root "$W/u" printer 2> /dev/null; rc=$?
expect "unknown part: 64" [ "$rc" -eq 64 ]
"$ND_BIN" setup --root "$W/u" p11-kit --module "$W/none.so" 2> /dev/null; rc=$?
expect "--module that does not exist: 64" [ "$rc" -eq 64 ]
expect "usage errors wrote nothing" [ ! -e "$W/u" ]

# 6. without root, system paths are refused as a whole (only as root can we
#    become someone else; the refusal happens before anything is written)
if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null; then
	chmod 755 "$W"
	# a copy nobody may run: the build tree may sit below a folder only
	# root can enter (a checkout in /root)
	cp "$ND_BIN" "$W/nesdoctor" && chmod 755 "$W/nesdoctor"
	setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$W" "$W/nesdoctor" setup --lang en udev --apply > "$W/refused.txt" 2>&1; rc=$?
	expect "not root: exit 2" [ "$rc" -eq 2 ]
	expect "not root: says what needs root and how to run it" grep -q "need root" "$W/refused.txt"
	grep -q "sudo nesdoctor setup --apply" "$W/refused.txt" && ok "not root: names sudo nesdoctor setup --apply" || bad "not root: sudo"
else
	echo "skip - refusal without root (needs root to switch to nobody)"
fi

# 7. the nss part: a stand-in modutil that keeps a list of added libraries
mkdir -p "$W/bin" "$W/home/.pki/nssdb" "$W/home/.mozilla/firefox/abc.default-release"
touch "$W/home/.pki/nssdb/cert9.db" "$W/home/.mozilla/firefox/abc.default-release/cert9.db"
cat > "$W/bin/modutil" <<'EOS'
#!/bin/bash
# modutil -dbdir sql:DIR -list | -add NAME -libfile LIB -force
db=${2#sql:}
echo "$*" >> "$MODUTIL_LOG"
case $3 in
-list) echo "Listing of PKCS #11 Modules"; [ -f "$db/added" ] && echo "  library name: $(cat "$db/added")"; exit 0 ;;
-add) echo "$6" > "$db/added"; echo "Module \"$4\" added to database."; exit 0 ;;
esac
exit 1
EOS
chmod +x "$W/bin/modutil"
nss() { env -u SUDO_USER HOME="$W/home" PATH="$W/bin:$PATH" MODUTIL_LOG="$W/modutil.log" "$ND_BIN" setup nss --lang en --module "$LIB" "$@"; }
nss > "$W/nss-dry.txt"; rc=$?
expect "nss dry run: exit 1, one step per database" test "$rc" -eq 1 -a "$(grep -cE 'run +modutil -dbdir sql:' "$W/nss-dry.txt")" -eq 2
expect "nss dry run: modutil only asked to list" [ "$(grep -c -- '-add' "$W/modutil.log")" -eq 0 ]
expect "nss: Firefox profile found, close Firefox first" grep -q "close Firefox first" "$W/nss-dry.txt"
nss --apply > /dev/null; rc=$?
expect "nss apply: exit 0, both databases got the library" test "$rc" -eq 0 -a "$(grep -c -- "-add AKIS -libfile $LIB -force" "$W/modutil.log")" -eq 2
nss --apply --json > "$W/nss-again.json"; rc=$?
expect "nss second apply: exit 0, modutil not asked to add again" test "$rc" -eq 0 -a "$(grep -c -- '-add' "$W/modutil.log")" -eq 2
expect "nss second apply: every step ok" jq -e '[.plan[].state] | all(. == "ok")' "$W/nss-again.json"
env -u SUDO_USER HOME="$W/home" PATH="/nonexistent:/usr/bin:/bin" "$ND_BIN" setup nss --lang en --module "$LIB" > "$W/nss-none.txt"; rc=$?
if ! PATH="/usr/bin:/bin" command -v modutil > /dev/null; then
	expect "no modutil: the apt command is in the plan" grep -q "sudo apt install libnss3-tools" "$W/nss-none.txt"
fi

# 8. an empty --root is a usage error, not the live system (a dry run here:
#    before the fix it planned for /, with --apply it would have changed it)
"$ND_BIN" setup --lang en --root "" udev > /dev/null 2> "$W/err"; rc=$?
expect "--root '': exit 64" [ "$rc" -eq 64 ]
expect "--root '': says it is empty" grep -q -- "--root takes a folder; it is empty" "$W/err"

# 9. --module with a control character: 64 for setup and the other commands,
#    and no p11-kit option injected into a module file
NL=$'\n'
rm -rf "$W/m"
"$ND_BIN" setup --lang en --root "$W/m" p11-kit --module "$LIB${NL}disable-in: p11-kit-proxy" --apply > /dev/null 2> "$W/err"; rc=$?
expect "--module with a newline: setup exit 64" [ "$rc" -eq 64 ]
expect "--module with a newline: says why" grep -q "without control characters" "$W/err"
expect "--module with a newline: nothing written" [ ! -e "$W/m" ]
"$ND_BIN" tokens --lang en --module "$LIB${NL}x" > /dev/null 2>&1; rc=$?
expect "--module with a newline: tokens exit 64" [ "$rc" -eq 64 ]
"$ND_BIN" check --lang en --module "$LIB"$'\t' > /dev/null 2>&1; rc=$?
expect "--module with a tab: check exit 64" [ "$rc" -eq 64 ]

# 10. --root DIR never leads outside DIR: a link DIR/etc -> an outside folder
#     (absolute) or DIR/etc/pkcs11 -> ../../../outside (relative) is read as
#     if DIR were /; where that leads nowhere under DIR the step is refused
mkdir -p "$W/outside" "$W/r2" "$W/r3/etc"
ln -s "$W/outside" "$W/r2/etc"
ln -s ../../../outside "$W/r3/etc/pkcs11"
"$ND_BIN" setup --lang en --root "$W/r2" --module "$LIB" udev p11-kit --apply > "$W/esc.txt"; rc=$?
expect "link out of --root (absolute): exit 2" [ "$rc" -eq 2 ]
expect "link out of --root (absolute): nothing written outside" [ -z "$(ls -A "$W/outside")" ]
expect "link out of --root: refused with the reason" grep -q "refused: a symbolic link on the way to /etc/udev/rules.d/70-nesdoctor.rules does not lead to a folder under" "$W/esc.txt"
"$ND_BIN" setup --lang en --root "$W/r3" --module "$LIB" udev p11-kit --apply --json > "$W/esc3.json"; rc=$?
expect "link out of --root (relative): nothing written outside" [ -z "$(ls -A "$W/outside")" ]
expect "link out of --root (relative): udev written inside, p11-kit refused (exit 2)" \
	jq -e '.exit_code == 2 and ([.plan[] | select(.action == "write") | .state] == ["done", "failed"])' "$W/esc3.json"
expect "link out of --root (relative): the udev rules are under DIR" [ -f "$W/r3/etc/udev/rules.d/70-nesdoctor.rules" ]
mkdir -p "$W/r4/real-etc"
ln -s /real-etc "$W/r4/etc"
"$ND_BIN" setup --lang en --root "$W/r4" --module "$LIB" udev p11-kit --apply > /dev/null; rc=$?
expect "link inside --root (DIR/etc -> /real-etc): exit 0" [ "$rc" -eq 0 ]
expect "link inside --root: written at DIR/real-etc" [ -f "$W/r4/real-etc/pkcs11/modules/akis.module" ]
expect "link inside --root: still nothing outside" [ -z "$(ls -A "$W/outside")" ]

# 11. the closing line follows the exit code
last() { grep -v '^$' "$1" | tail -1; }
expect "exit 2: closing line says a step failed" grep -q "^A step failed" <(last "$W/esc.txt")
expect "exit 2: not 'Nothing left to do.'" bash -c "! grep -q 'Nothing left to do' '$W/esc.txt'"
expect "exit 1 (dry run): closing line says how to apply" grep -q "^To do it: add --apply." <(last "$W/dry.txt")
expect "exit 0: closing line 'Nothing left to do.'" grep -q "^Nothing left to do.$" <(last "$W/apply.txt")
if ! ls /usr/lib/libakisp11.so /opt/Akia/libakisp11.so /usr/lib/x86_64-linux-gnu/libakisp11.so /usr/local/lib/libakisp11.so > /dev/null 2>&1; then
	"$ND_BIN" setup --lang en --root "$W/r5" p11-kit --apply > "$W/manual.txt"; rc=$?
	expect "exit 1 after --apply (a step by hand): exit 1" [ "$rc" -eq 1 ]
	expect "exit 1 after --apply: closing line names the steps left by hand" grep -q "^Steps marked ! are left for you to do" <(last "$W/manual.txt")
fi

# 12. a --root whose name holds terminal escapes and a newline: shown
# escaped, never raw (it could set the title or forge a line)
E=$W/$'r\e]0;owned\a\nNothing left to do.'
mkdir -p "$E"
"$ND_BIN" setup --lang en --root "$E" udev > "$W/escname.txt"; rc=$?
expect "escaped --root: exit 1 (a dry run)" [ "$rc" -eq 1 ]
expect "escaped --root: no raw ESC or BEL in the output" bash -c "! grep -q \$'[\\x1b\\x07]' '$W/escname.txt'"
expect "escaped --root: shown with visible escapes" grep -qF 'r\x1b]0;owned\x07\nNothing left to do.' "$W/escname.txt"
expect "escaped --root: no forged 'Nothing left to do.' line" bash -c "! grep -q '^Nothing left to do' '$W/escname.txt'"

# 13. a module file is read as p11-kit (and the p11 collector) reads it:
#     blanks before the colon, and the last "module" line wins
mkdir -p "$W/r6/usr/share/p11-kit/modules"
printf '# AKIS\nmodule : %s\ncritical: yes\n' "$LIB" > "$W/r6/usr/share/p11-kit/modules/akia.module"
"$ND_BIN" setup --lang en --root "$W/r6" --module "$LIB" p11-kit --json > "$W/reg.json"; rc=$?
expect "'module : PATH' registers the library: exit 0, nothing to write" [ "$rc" -eq 0 ]
expect "'module : PATH' registers the library: the step names that file" \
	jq -e '.plan[0].state == "ok" and .plan[0].path == "/usr/share/p11-kit/modules/akia.module"' "$W/reg.json"
printf 'module: %s\nmodule: opensc-pkcs11.so\n' "$LIB" > "$W/r6/usr/share/p11-kit/modules/akia.module"
"$ND_BIN" setup --lang en --root "$W/r6" --module "$LIB" p11-kit --json > "$W/reg2.json"; rc=$?
expect "a later 'module' line replaces the library: exit 1, akis.module to write" \
	jq -e '.exit_code == 1 and .plan[0].state == "pending" and .plan[0].path == "/etc/pkcs11/modules/akis.module"' "$W/reg2.json"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
