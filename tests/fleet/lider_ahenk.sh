#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# contrib/lider-ahenk/nesdoctor-summary.sh run the way Ahenk's script policy
# runs it: bash, no terminal (setsid, stdin /dev/null), as root, a minimal
# environment (env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin; NESDOCTOR names the
# built binary, the test's only addition). Each run prints exactly one JSON
# summary and exits 0: the e2e world (ready, options from an args file),
# no pcscd (not ready, exit_code 2 inside), nesdoctor missing, nesdoctor
# failing, nesdoctor hanging past LIMIT.
: "${ND_SRC:?}"
. "$ND_SRC/tests/e2e/lib.sh" || exit 1
. "$ND_SRC/tests/fleet/agents_lib.sh" || exit 1
rig_enter_ns "$@"
T0=$(date +%s%N)
S=$ND_SRC/contrib/lider-ahenk/nesdoctor-summary.sh
W=$RIG_WORK
[ "$(id -u)" -eq 0 ] && ok "running as root" || bad "not root"

# policy NAME [VAR=VALUE...] [-- SCRIPT]: the script as Ahenk runs it
policy() {
	local name=$1 script=$S t0
	shift
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ "${1:-}" = -- ] && script=$2
	t0=$(date +%s%N)
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${envs[@]}" setsid -w bash "$script" < /dev/null > "$W/$name.json" 2> "$W/$name.err"
	RC=$? MS=$((($(date +%s%N) - t0) / 1000000)) OUT=$W/$name.json ERR=$W/$name.err
	echo "note - policy run $name: ${MS} ms"
	expect_rc 0 "$name: exit 0"
	[ "$(wc -l < "$OUT")" -eq 1 ] && ok "$name: one line on stdout" || { bad "$name: not one line"; show "$OUT"; }
	summary_keys_ok "$OUT" "$name"
}

policy nopcscd NESDOCTOR="$ND_BIN"
jcheck "$W/nopcscd.json" "no pcscd: not ready, exit code 2 in the JSON" \
	'd["verdict"] == "not_ready" and d["exit_code"] == 2 and "error" not in d'

policy missing NESDOCTOR=/nonexistent/nesdoctor
jcheck "$W/missing.json" "nesdoctor missing: unknown, with the reason" \
	'd["verdict"] == "unknown" and "not installed" in d["error"] and d["exit_code"] == 3'

printf '#!/bin/sh\necho "nesdoctor: broken \\"quote\\" \\\\ here" >&2\nexit 70\n' > "$W/broken"
chmod +x "$W/broken"
policy broken NESDOCTOR="$W/broken"
jcheck "$W/broken.json" "nesdoctor failing: unknown (3), its exit code and last error line" \
	'd["verdict"] == "unknown" and d["exit_code"] == 3 and "exited 70" in d["error"] and "broken \"quote\" \\ here" in d["error"]'

printf '#!/bin/sh\nsleep 30 &\nsleep 30\n' > "$W/hang"
chmod +x "$W/hang"
sed 's/^LIMIT=60$/LIMIT=2/' "$S" > "$W/short.sh"
policy hang NESDOCTOR="$W/hang" -- "$W/short.sh"
jcheck "$W/hang.json" "nesdoctor hanging: unknown after LIMIT" \
	'd["verdict"] == "unknown" and "did not finish within 2 s" in d["error"]'
[ "$MS" -lt 9000 ] && ok "hang: bounded (${MS} ms)" || bad "hang: took ${MS} ms"

# the e2e world, options from the args file (format of /etc/nesdoctor/fleet.args)
e2e_world
e2e_token rsa good-rsa
e2e_card "$UEKAE"
{ echo "# the test world"; nd_opts ready | tr ' ' '\n'; echo "  --lang  "; echo en; } > "$W/fleet.args"
sed "s|^ARGS_FILE=.*|ARGS_FILE=$W/fleet.args|" "$S" > "$W/world.sh"
policy ready NESDOCTOR="$ND_BIN" SOFTHSM2_CONF="$W/hsm-rsa/softhsm2.conf" -- "$W/world.sh"
jcheck "$W/ready.json" "ready: the world's verdict through the policy script" \
	'd["verdict"] == "ready" and d["exit_code"] == 0 and d["readers"] == 2 and d["pin_state"] == "ok"' \
	'isinstance(d["certificate_days_left"], int)'
echo "note - lider ahenk test: $((($(date +%s%N) - T0) / 1000000)) ms"
finish
