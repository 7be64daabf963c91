#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Where modules are found, without --module: the AKIS library's known
# places, p11-kit's module config files (a later directory overrides an
# earlier one, relative names resolve in p11-kit's module directory, trust
# modules are not token modules), one entry per real file. A private
# NESDOCTOR_P11_SYSROOT stands in for /. Also: `check` runs the p11 checks
# but never the signing test.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$ND_SRC/tests/rig/rig.sh"
. "$HERE/lib.sh"
: "${ND_BADMOD:?}"
rig_enter_ns "$@"
W=$RIG_WORK
R=$W/root
export HOME=$W/home NESDOCTOR_P11_SYSROOT=$R NDTEST_MODE=ok
mkdir -p "$HOME" "$R/usr/lib" "$R/opt/Akia" "$R/usr/lib/i386-linux-gnu" "$R/usr/share/p11-kit/modules" "$R/etc/pkcs11/modules"

# no module anywhere: the AKIS library is not installed
run_nd "$W/none.json" tokens --timeout 5
expect "nothing found: p11.module says the AKIS library is not installed" "$(st p11.module fail) and ([.checks[] | select(.id == \"p11.module\")][0].message | test(\"libakisp11.so\"))"
expect "nothing found: the remedy is AKİA" '[.checks[] | select(.id == "p11.module")][0].remedy | test("AKİA")'

cp "$ND_BADMOD" "$R/usr/lib/libakisp11.so"
ln -s ../../usr/lib/libakisp11.so "$R/opt/Akia/libakisp11.so"
{ printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000\003\000\003\000\001\000\000\000'; head -c 32 /dev/zero; } \
	> "$R/usr/lib/i386-linux-gnu/libakisp11.so"
printf '# a token module\nmodule: libfoo-pkcs11.so\n' > "$R/usr/share/p11-kit/modules/foo.module"
printf 'module: /usr/lib/libbar-pkcs11.so\n' > "$R/etc/pkcs11/modules/foo.module"
printf 'module: p11-kit-trust.so\ntrust-policy: yes\n' > "$R/usr/share/p11-kit/modules/p11-kit-trust.module"
printf 'module: /usr/lib/libakisp11.so\n' > "$R/usr/share/p11-kit/modules/akis.module"
printf 'module: opensc-pkcs11.so\n' > "$R/usr/share/p11-kit/modules/zz-nomodule.txt"

run_nd "$W/d.json" tokens --timeout 5
expect "AKIS library found at its known place, once (the /opt/Akia symlink is the same file)" "[.inventory.modules[] | select(.akis and .status == \"ok\")] | length == 1 and .[0].source == \"akis-known-path\" and .[0].path == \"$R/usr/lib/libakisp11.so\""
expect "the 32-bit copy is reported as the wrong architecture" "[.inventory.modules[] | select(.path == \"$R/usr/lib/i386-linux-gnu/libakisp11.so\")][0].status == \"wrong_arch\""
expect "a p11-kit config in /etc overrides the same name in /usr/share" "[.inventory.modules[] | select(.source == \"p11-kit\") | .path] | any(. == \"$R/usr/lib/libbar-pkcs11.so\") and (any(test(\"libfoo\")) | not)"
expect "the trust module is skipped" '[.inventory.modules[] | select(.path | test("p11-kit-trust"))][0] | .status == "skipped" and .error_kind == "trust-module"'
expect "a p11-kit config for the AKIS library adds no second entry" '[.inventory.modules[] | select(.path | test("usr/lib/libakisp11.so$"))] | length == 1'
expect "files not named *.module are not configs" '[.inventory.modules[] | select(.path | test("opensc"))] | length == 0'
expect "AKIS works, another copy does not: p11.module warns about it" "$(st p11.module warn) and ([.checks[] | select(.id == \"p11.module\")][0].message | test(\"i386-linux-gnu\"))"
expect "only the AKIS library's tokens are judged" '[.checks[] | select(.id == "p11.token")][0].status == "pass"'

# a FIFO named like a module config is not read (opening it would block
# until a writer came): the run ends and the other configs still count
mkfifo "$R/etc/pkcs11/modules/zz-fifo.module"
set +e
timeout 20 "$ND_BIN" tokens --timeout 5 --json > "$W/fifo.json" 2> "$W/fifo.err"
RC=$?
set -e
T_LAST=$W/fifo.json
[ "$RC" -ne 124 ] && ok "a FIFO among p11-kit configs does not hang the run (exit $RC)" || bad "a FIFO among p11-kit configs hangs the run"
expect "a FIFO among p11-kit configs: the other configs still count" "[.inventory.modules[] | select(.source == \"p11-kit\") | .path] | any(. == \"$R/usr/lib/libbar-pkcs11.so\")"
rm -f "$R/etc/pkcs11/modules/zz-fifo.module"

# --module: only those
run_nd "$W/m.json" tokens --module "$ND_BADMOD"
expect "--module: only the given module" '.inventory.modules | length == 1 and .[0].source == "--module"'

# `check` runs the p11 checks, never the signing test
run_nd "$W/c.json" check --timeout 3 --offline
expect "check: p11 checks present, sign.test absent" '(.checks | any(.id == "p11.module")) and (.checks | any(.id == "sign.test") | not) and (.inventory | has("sign_test") | not)'
finish
