#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The Debian package, end to end (issue 11):
#   - `dpkg-buildpackage -us -uc -b` in a copy of the source tree builds
#     nesdoctor_<version>_<arch>.deb, with the version of debian/changelog,
#     which is also CMake's project version;
#   - the package holds everything CMake installs (so the bash completion and
#     systemd units land in it with no change to debian/) and, by name, the
#     binary, the man page, the Turkish catalogue, the udev rules under
#     /usr/lib/udev/rules.d and Kamu SM's CA certificates;
#   - Depends/Recommends/Suggests as the issue says; no maintainer script
#     enables or starts anything;
#   - lintian (when installed) reports no error and no warning, on the
#     binary and on the source package;
#   - unpacked into a scratch root (dpkg -x) with only the host's shared
#     libraries the binary needs and the C.UTF-8 locale copied in, and run
#     there under chroot: `nesdoctor --version`, and `nesdoctor verify` on
#     Kamu SM's NES CA, offline, in Turkish (the catalogue from
#     /usr/share/locale) and as JSON (the root from /usr/share/nesdoctor).
# nesdoctor looks for its catalogue and data next to its own binary first
# (build trees) and then at the compiled-in /usr/share paths: only a chroot
# makes the scratch root's /usr/share the one it reads.
# Skipped (exit 77) when dpkg-buildpackage or debhelper is missing.
set -u
: "${ND_SRC:?ND_SRC must name the source tree}"

if ! command -v dpkg-buildpackage >/dev/null 2>&1 || ! command -v dh >/dev/null 2>&1; then
	echo "SKIP: dpkg-buildpackage or dh missing (apt-get install dpkg-dev debhelper: see tools/deps-test.txt)"
	exit 77
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/nd-deb.XXXXXX")
pass=0 fail=0
cleanup() {
	if [ "$fail" -eq 0 ] || [ -z "${ND_KEEP:-}" ]; then rm -rf "$W"; else echo "kept $W"; fi
}
trap cleanup EXIT
ok() { echo "ok   - $1"; pass=$((pass + 1)); }
bad() { echo "FAIL - $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
finish() {
	echo "# $pass passed, $fail failed"
	[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
	exit
}

ver=$(dpkg-parsechangelog -l "$ND_SRC/debian/changelog" -SVersion)
arch=$(dpkg --print-architecture)

# --- a copy of the tree: the files git knows, and new ones not ignored ---
# (a work tree whose CMakeLists names a file not yet `git add`ed builds as
# the developer sees it; build folders and other ignored files stay out)
S=$W/nesdoctor-$ver
mkdir -p "$S"
if git -C "$ND_SRC" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git -C "$ND_SRC" ls-files -z --cached --others --exclude-standard |
		(cd "$ND_SRC" && while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done) |
		tar -C "$ND_SRC" --null -T - -cf - | tar -C "$S" -xf -
else
	tar -C "$ND_SRC" --exclude='./build*' --exclude='./_build*' --exclude='./obj-*' -cf - . |
		tar -C "$S" -xf -
fi
[ -f "$S/debian/rules" ] || { bad "copy of the tree has debian/rules"; finish; }

cmver=$(sed -n 's/^project(nesdoctor VERSION \([0-9.]*\).*/\1/p' "$S/CMakeLists.txt")
check "debian/changelog's version ($ver) is CMake's ($cmver)" '[ "$ver" = "$cmver" ]'

# --- the source package first (lintian checks debian/ there), from the
# clean copy; then the binary build, as the README says ---
if command -v lintian >/dev/null 2>&1; then
	(cd "$W" && dpkg-source -b "nesdoctor-$ver") >"$W/source.log" 2>&1 ||
		{ bad "dpkg-source -b"; tail -20 "$W/source.log"; }
fi
t0=$(date +%s)
(cd "$S" && dpkg-buildpackage -us -uc -b -J"$(nproc)") >"$W/build.log" 2>&1
rc=$?
echo "# dpkg-buildpackage: $(($(date +%s) - t0)) s"
DEB=$W/nesdoctor_${ver}_${arch}.deb
if [ "$rc" -ne 0 ] || [ ! -f "$DEB" ]; then
	bad "dpkg-buildpackage -us -uc -b builds nesdoctor_${ver}_${arch}.deb (rc $rc)"
	tail -40 "$W/build.log"
	finish
fi
ok "dpkg-buildpackage -us -uc -b builds nesdoctor_${ver}_${arch}.deb"
# the warnings the compiler gave in the package build (flags are Debian's)
grep -E 'warning:' "$W/build.log" | head -10

# --- contents ---
dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's,^\./,/,; s,/$,,' | sort >"$W/files"
for f in /usr/bin/nesdoctor /usr/share/man/man1/nesdoctor.1.gz \
	/usr/share/locale/tr/LC_MESSAGES/nesdoctor.mo /usr/lib/udev/rules.d/70-nesdoctor.rules \
	/usr/share/nesdoctor/kamusm/kamusm-root-v6.der /usr/share/nesdoctor/kamusm/kamusm-nes-v6.der \
	/usr/share/doc/nesdoctor/copyright; do
	check "package holds $f" "grep -qxF '$f' '$W/files'"
done
check "no udev rules under /lib or /etc" "! grep -qE '^/(lib|etc)/udev/' '$W/files'"
# everything CMake installs, from the package's own build folder
obj=$(ls -d "$S"/obj-* 2>/dev/null | head -1)
if [ -n "$obj" ] && DESTDIR=$W/cmake-install cmake --install "$obj" >"$W/cmake-install.log" 2>&1; then
	(cd "$W/cmake-install" && find . ! -type d | sed 's,^\.,,' | sort) >"$W/cmake-files"
	# dh compresses man pages
	sed -i 's,^\(/usr/share/man/.*\.[0-9]\)$,\1.gz,' "$W/cmake-files"
	missing=$(comm -23 "$W/cmake-files" "$W/files")
	check "package holds all $(wc -l <"$W/cmake-files") files cmake --install puts${missing:+ (missing: $missing)}" \
		'[ -z "$missing" ]'
else
	bad "cmake --install of the package's build folder"
fi

# --- control fields ---
field() { dpkg-deb -f "$DEB" "$1"; }
dep=$(field Depends) rec=$(field Recommends) sug=$(field Suggests)
for l in libc6 libssl3 libpcsclite1 libjson-c5 libusb-1.0-0; do
	check "Depends names $l (shlibs)" "echo '$dep' | grep -qE '(^|, )$l( |,|$)'"
done
for p in pcscd libccid; do check "Recommends $p" "echo '$rec' | grep -qE '(^|, )$p(,|$)'"; done
for p in pcsc-tools opensc libnss3-tools; do check "Suggests $p" "echo '$sug' | grep -qE '(^|, )$p(,|$)'"; done

# --- nothing enabled or started on install: the maintainer scripts (today
# there are none; dh_installsystemd --no-enable --no-start may add some for
# units, which only keep an administrator's own choice) ---
dpkg-deb -e "$DEB" "$W/control"
starts=$(grep -HnE 'deb-systemd-invoke +(start|restart)|systemctl .*(start|enable|restart)|invoke-rc\.d|update-rc\.d .*(defaults|enable)|udevadm +(trigger|control)' \
	"$W"/control/{preinst,postinst,prerm,postrm} 2>/dev/null)
check "no maintainer script starts or enables anything${starts:+: $starts}" '[ -z "$starts" ]'
if [ -f "$W/control/postinst" ] && grep -q 'deb-systemd-helper enable' "$W/control/postinst"; then
	check "postinst enables a unit only when the administrator had (was-enabled)" \
		"grep -q 'was-enabled' '$W/control/postinst'"
fi

# --- lintian ---
if command -v lintian >/dev/null 2>&1; then
	t0=$(date +%s)
	lintian --fail-on error,warning "$DEB" >"$W/lintian-bin.txt" 2>&1
	rc=$?
	grep -v 'running with root privileges' "$W/lintian-bin.txt"
	check "lintian: no error or warning on the .deb" '[ "$rc" -eq 0 ]'
	if [ -f "$W/nesdoctor_${ver}.dsc" ]; then
		lintian --fail-on error,warning "$W/nesdoctor_${ver}.dsc" >"$W/lintian-src.txt" 2>&1
		rc=$?
		grep -v 'running with root privileges' "$W/lintian-src.txt"
		check "lintian: no error or warning on the source package" '[ "$rc" -eq 0 ]'
	fi
	echo "# lintian: $(($(date +%s) - t0)) s"
else
	echo "# lintian not installed: not run"
fi

# --- the scratch root ---
R=$W/root
dpkg-deb -x "$DEB" "$R" || { bad "dpkg -x"; finish; }
# the shared libraries (and the loader) the binary needs, where this host has them
for l in $(ldd "$R/usr/bin/nesdoctor" | awk '/=> \// { print $3 } /^[ \t]*\// { print $1 }'); do
	cp -L --parents "$l" "$R" || bad "copy $l into the scratch root"
done
# gettext uses LANGUAGE only outside the "C" locale: nesdoctor falls back to
# C.UTF-8, which libc-bin ships
if [ -d /usr/lib/locale/C.utf8 ]; then
	mkdir -p "$R/usr/lib/locale" && cp -a /usr/lib/locale/C.utf8 "$R/usr/lib/locale/"
fi
# a fresh cache for each run: Kamu SM's root must come from the installed data
mkdir -p "$R/tmp/cache-tr" "$R/tmp/cache-json" && chmod 700 "$R"/tmp/cache-* && chmod 1777 "$R/tmp"
cp "$ND_SRC/data/kamusm/kamusm-nes-v6.der" "$R/tmp/nes.der"
u=""
[ "$(id -u)" -ne 0 ] && u="-r"
CHROOT=$(command -v chroot)
# no network, no environment from the test (NESDOCTOR_*, LD_LIBRARY_PATH, the
# locale) and no /proc: paths come from the binary alone
inroot() {
	env -i PATH=/usr/bin:/bin HOME=/tmp timeout -k 2 60 unshare $u --net -- "$CHROOT" "$R" "$@"
}
inroot /usr/bin/nesdoctor --version >"$W/version.txt" 2>&1
rc=$?
check "in the scratch root: nesdoctor --version says $ver (rc $rc: $(head -c 200 "$W/version.txt"))" \
	"[ $rc -eq 0 ] && grep -qxF 'nesdoctor $ver' '$W/version.txt'"

inroot /usr/bin/nesdoctor verify --lang tr --no-color --offline --cache-dir /tmp/cache-tr /tmp/nes.der \
	>"$W/verify-tr.txt" 2>&1
rc=$?
sed 's/^/# /' "$W/verify-tr.txt"
check "verify --lang tr: exit 0 (the NES CA chains offline to the installed root)" "[ $rc -eq 0 ]"
check "verify --lang tr: Turkish from /usr/share/locale (Sonuç, 'Kamu SM NES sertifika yayıncısı')" \
	"grep -q '^Sonuç: hazır' '$W/verify-tr.txt' && grep -q 'Kamu SM NES sertifika yayıncısı' '$W/verify-tr.txt'"

inroot /usr/bin/nesdoctor verify --json --offline --cache-dir /tmp/cache-json /tmp/nes.der >"$W/verify.json" 2>"$W/verify.err"
rc=$?
check "verify --json: exit 0" "[ $rc -eq 0 ]"
check "verify --json: x509.data_dir is /usr/share/nesdoctor" \
	"[ \"\$(jq -r .inventory.x509.data_dir '$W/verify.json')\" = /usr/share/nesdoctor ]"
check "verify --json: the NES CA identified, its root read from the installed data (bundled)" \
	"[ \"\$(jq -c '[.inventory.ca_certificates[0] | .kamusm, (.chain[] | .source, .kamusm)]' '$W/verify.json')\" = '[\"issuing_ca\",\"file\",\"issuing_ca\",\"bundled\",\"root\"]' ]"

finish
