#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# sys.java: a fake `java` (fakejava.c, built here with the C compiler, an
# ELF binary that prints OpenJDK 17.0.9's banner) alone on PATH; no Java at
# all; a 32-bit one only when a 32-bit toolchain exists (else skipped).
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
CC=${CC:-cc}
mkdir -p "$W/bin" "$W/nobin" "$W/jvm"
"$CC" -o "$W/bin/java" "$ND_SRC/tests/sys/fakejava.c"
nd() { # nd OUT PATHDIR
	env PATH="$2" NESDOCTOR_JVM_DIR="$W/jvm" "$ND_BIN" --json --lang en --timeout 3 > "$W/$1.json"
}
nd fake "$W/bin"
check fake "$(st sys.java info) and $(msg sys.java 'Java 17.0.9 .OpenJDK Runtime Environment .build 17.0.9.9-Debian-1deb12u1.. at .*/bin/java, 64-bit x86-64')" "version from the banner, architecture from the ELF header"
check fake '.inventory.system.java.on_path.vendor == "openjdk" and .inventory.system.java.on_path.vm_bits == 64 and .inventory.system.java.on_path.elf.bits == 64' "inventory"
nd nojava "$W/nobin"
check nojava "$(st sys.java info) and $(msg sys.java 'no Java runtime is installed') and $(rem sys.java 'default-jre') and .inventory.system.java.on_path == null" "no Java at all: info"
if "$CC" -m32 -o "$W/bin/java32" "$ND_SRC/tests/sys/fakejava.c" 2>/dev/null; then
	mkdir -p "$W/bin32" && mv "$W/bin/java32" "$W/bin32/java"
	nd j32 "$W/bin32"
	check j32 '.inventory.system.java.on_path.elf.bits == 32' "a 32-bit JVM is seen as 32-bit"
else
	echo "# skip: no 32-bit toolchain"
fi
# a JVM with its release file (as every OpenJDK ships): the version is read
# from there and the JVM is not started (a JVM's start costs as much CPU as a
# whole check); the fake writes a mark when run
mkdir -p "$W/jvm/jdk-21/bin" "$W/relbin"
"$CC" -DMARK="\"$W/ran\"" -o "$W/jvm/jdk-21/bin/java" "$ND_SRC/tests/sys/fakejava.c"
printf 'IMPLEMENTOR="Eclipse Adoptium"\nJAVA_RUNTIME_VERSION="21.0.5+11-LTS"\nJAVA_VERSION="21.0.5"\nOS_ARCH="x86_64"\n' > "$W/jvm/jdk-21/release"
ln -s "$W/jvm/jdk-21/bin/java" "$W/relbin/java"
rm -f "$W/ran"
nd release "$W/relbin"
check release "$(st sys.java info) and $(msg sys.java 'Java 21.0.5 .Eclipse Adoptium, build 21.0.5.11-LTS. at .*/relbin/java, 64-bit') and .inventory.system.java.on_path.version_from == \"release\"" "version from the JVM's release file"
if [ ! -e "$W/ran" ]; then pass=$((pass + 1)); echo "ok - release: the JVM was not started"
else fail=$((fail + 1)); echo "FAIL - release: the JVM was started although its release file names the version"; fi
rm -rf "$W/jvm/jdk-21" "$W/relbin"

# the text report's sys lines, in both languages
env PATH="$W/bin" NESDOCTOR_JVM_DIR="$W/jvm" "$ND_BIN" --lang en --no-color --timeout 3 > "$W/fake.txt" 2>&1
if grep -q "Java 17.0.9 (.*/bin/java): on PATH, 64-bit x86-64" "$W/fake.txt"; then pass=$((pass + 1)); echo "ok - text: the Java line"
else fail=$((fail + 1)); echo "FAIL - text: no Java line"; grep -i java "$W/fake.txt"; fi
env PATH="$W/bin" NESDOCTOR_JVM_DIR="$W/jvm" "$ND_BIN" --lang tr --no-color --timeout 3 > "$W/fake-tr.txt" 2>&1
if grep -q "Java 17.0.9 (.*/bin/java): PATH üzerinde, 64 bit x86-64" "$W/fake-tr.txt"; then pass=$((pass + 1)); echo "ok - text: the Java line in Turkish"
else fail=$((fail + 1)); echo "FAIL - text: no Turkish Java line"; grep -i java "$W/fake-tr.txt"; fi
env PATH="$W/nobin" NESDOCTOR_JVM_DIR="$W/jvm" "$ND_BIN" --lang en --no-color --timeout 3 > "$W/nojava.txt" 2>&1
if grep -q "Java: not installed" "$W/nojava.txt"; then pass=$((pass + 1)); echo "ok - text: no Java"
else fail=$((fail + 1)); echo "FAIL - text: no 'Java: not installed'"; fi
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]   # nothing asserted is a failure too
