#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# contrib/ansible with Debian's ansible-core, for real over ssh: sshd on
# 127.0.0.1 inside private namespaces (tests/rig), four "hosts":
#   pc-ready    ssh to the e2e world (pcscd, virtual AKIS card, SoftHSM2
#               token with a good qualified certificate, the test PKI)
#   pc-nopcscd  ssh to an sshd in mount and PID namespaces of its own,
#               where /run/pcscd is empty and no pcscd runs
#   pc-down     ssh to a port nothing listens on
#   pc-norole   the local connection, no fact installed
# The role installs the fact (no package: nesdoctor_install false) and
# applies setup parts under --root (idempotent: changed once, then not);
# fleet-check.yml's fleet-report.csv / .json rows and printed counts are
# asserted.
: "${ND_SRC:?}"
# ansible-playbook runs three times (about 10 s each on a busy 2-core machine)
export RIG_TIMEOUT=${RIG_TIMEOUT:-110}
. "$ND_SRC/tests/e2e/lib.sh" || exit 1
. "$ND_SRC/tests/fleet/agents_lib.sh" || exit 1
rig_enter_ns "$@"
T0=$(date +%s%N)
command -v ansible-playbook > /dev/null || { echo "no ansible-playbook (package ansible-core)"; exit 1; }
[ -x /usr/sbin/sshd ] || { echo "no sshd (package openssh-server)"; exit 1; }
A=$ND_SRC/contrib/ansible
BIN=${ND_FLEET_BIN:-$ND_BIN}   # the binary the facts run
W=$RIG_WORK

e2e_world
e2e_token rsa good-rsa
e2e_card "$UEKAE"
fleet_sshd ready 22201 || { finish; exit 1; }
fleet_sshd nopcscd 22202 --mount --pid --fork --kill-child --mount-proc \
	bash -c 'mount -t tmpfs -o mode=755 tmpfs /run/pcscd && exec "$0" "$@"' || { fleet_stop; finish; exit 1; }
# "$0" "$@" above: unshare runs bash -c '...' with sshd as $0
mkdir -p "$W/empty" "$W/remote-tmp" "$W/report"

export ANSIBLE_HOME=$W/ansible ANSIBLE_LOCAL_TEMP=$W/ansible/tmp ANSIBLE_SSH_CONTROL_PATH_DIR=$W/ansible/cp
export ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
# no ssh master left behind (ControlPersist) once the test is done
export ANSIBLE_SSH_ARGS="-o ControlMaster=no" ANSIBLE_PIPELINING=True ANSIBLE_FORCE_COLOR=0 ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_ROLES_PATH=$A/roles
unset ANSIBLE_CONFIG
FLEET_ARGS="$(nd_opts ready)"
cat > "$W/inventory.yml" <<EOF2
all:
  vars:
    ansible_python_interpreter: /usr/bin/python3
    ansible_user: root
    ansible_ssh_private_key_file: $W/ssh/client
    ansible_ssh_common_args: -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o ConnectTimeout=5
    ansible_remote_tmp: $W/remote-tmp
    nesdoctor_fact_env:
      NESDOCTOR_BIN: $BIN
      NESDOCTOR_FLEET_ARGS: "$FLEET_ARGS --lang en"
      SOFTHSM2_CONF: $W/hsm-rsa/softhsm2.conf
      NESDOCTOR_SMARTCARD_LIST: $NESDOCTOR_SMARTCARD_LIST
  hosts:
    pc-ready:
      ansible_host: 127.0.0.1
      ansible_port: 22201
      nesdoctor_fact_path: $W/facts-ready
    pc-nopcscd:
      ansible_host: 127.0.0.1
      ansible_port: 22202
      nesdoctor_fact_path: $W/facts-nopcscd
    pc-down:
      ansible_host: 127.0.0.1
      ansible_port: 22203
    pc-norole:
      ansible_connection: local
      nesdoctor_fact_path: $W/empty
EOF2
cat > "$W/role.yml" <<EOF2
- hosts: pc-ready:pc-nopcscd
  gather_facts: false
  roles:
    - role: nesdoctor
      vars:
        nesdoctor_install: false
        nesdoctor_bin: $ND_BIN
        nesdoctor_setup_parts: [udev, p11-kit]
        nesdoctor_setup_args: [--root, "$W/root-{{ inventory_hostname }}", --module, "$M"]
        nesdoctor_refresh_facts: false
EOF2

# ---- the role, twice: the fact dropped, setup applied, then nothing to do.
# ansible-core has no JSON callback: the default screen output is read,
# task by task ("changed: [host]") and by the recap.
role_run() {
	local t0=$(date +%s%N)
	ansible-playbook -i "$W/inventory.yml" "$W/role.yml" > "$W/role-$1.out" 2> "$W/role-$1.err"
	RC=$? MS=$((($(date +%s%N) - t0) / 1000000))
	OUT=$W/role-$1.out ERR=$W/role-$1.err
	echo "note - role run $1: ${MS} ms"
}
# task_status RUN TASK HOST: ok, changed, skipping, failed, fatal
task_status() {
	awk -v t="TASK [nesdoctor : $2]" -v h="[$3]" '
		index($0, "TASK [") == 1 { on = (index($0, t) == 1); next }
		on && index($0, h) { sub(/:.*/, ""); print; exit }' "$W/role-$1.out"
}
recap() { grep "^$2 " "$W/role-$1.out" | grep -o "$3=[0-9]*" | cut -d= -f2; }
role_run 1
expect_rc 0 "role, first run"
for h in pc-ready pc-nopcscd; do
	s1=$(task_status 1 "Apply nesdoctor setup parts" $h) s2=$(task_status 1 "The nesdoctor fact" $h)
	[ "$s1" = changed ] && [ "$s2" = changed ] &&
		ok "role, first run, $h: setup applied and the fact dropped (changed)" ||
		{ bad "role, first run, $h: setup '$s1', fact '$s2'"; show "$OUT"; }
done
[ -x "$W/facts-ready/nesdoctor.fact" ] && [ -x "$W/facts-nopcscd/nesdoctor.fact" ] &&
	ok "role: the fact is installed, executable" || bad "role: no executable fact"
[ -f "$W/root-pc-ready/etc/udev/rules.d/70-nesdoctor.rules" ] && [ -f "$W/root-pc-ready/etc/pkcs11/modules/akis.module" ] &&
	ok "role: setup wrote the udev rules and the p11-kit module file under --root" ||
	{ bad "role: setup's files missing"; find "$W/root-pc-ready" | show; }
role_run 2
expect_rc 0 "role, second run"
for h in pc-ready pc-nopcscd; do
	s1=$(task_status 2 "Apply nesdoctor setup parts" $h)
	[ "$s1" = ok ] && [ "$(recap 2 $h changed)" = 0 ] && [ "$(recap 2 $h failed)" = 0 ] &&
		ok "role, second run, $h: nothing changed (setup idempotent)" ||
		{ bad "role, second run, $h: setup '$s1', recap changed=$(recap 2 $h changed)"; show "$OUT"; }
done

# ---- fleet-check.yml
t0=$(date +%s%N)
(cd "$W/report" && ansible-playbook -i "$W/inventory.yml" "$A/fleet-check.yml") > "$W/fleet.out" 2> "$W/fleet.err"
RC=$? MS=$((($(date +%s%N) - t0) / 1000000))
echo "note - fleet-check.yml: ${MS} ms"
OUT=$W/fleet.out ERR=$W/fleet.err
expect_rc 0 "fleet-check.yml"
VERSION=$("$BIN" --version | awk '{print $NF; exit}')
R=$W/report/fleet-report.json
jcheck "$R" "report JSON: one row per host, in inventory order, the columns in order" \
	'[r["host"] for r in d] == ["pc-ready", "pc-nopcscd", "pc-down", "pc-norole"]' \
	'all(list(r) == ["host", "verdict", "primary_cause", "exit_code", "certificate_not_after", "certificate_days_left", "readers", "tokens", "version", "time", "error"] for r in d)'
jcheck "$R" "report JSON: pc-ready is ready, with its certificate, readers and token" \
	'd[0]["verdict"] == "ready" and d[0]["exit_code"] == 0 and d[0]["primary_cause"] is None and d[0]["error"] is None' \
	'd[0]["certificate_not_after"] is not None and isinstance(d[0]["certificate_days_left"], int) and d[0]["certificate_days_left"] > 30' \
	'd[0]["readers"] == 2 and d[0]["tokens"] >= 1' \
	"d[0]['version'] == '$VERSION' and d[0]['time'].endswith('Z')"
# (SoftHSM2 needs no pcscd: that host still reads the token and its
# certificate; only the readers are gone)
jcheck "$R" "report JSON: pc-nopcscd is not ready, pcscd the cause, no readers" \
	'd[1]["verdict"] == "not_ready" and d[1]["exit_code"] == 2 and d[1]["error"] is None' \
	"d[1]['primary_cause'] == 'sys.pcscd' and d[1]['readers'] == 0"
jcheck "$R" "report JSON: pc-down unreachable, pc-norole did not answer, with the reason" \
	'd[2]["verdict"] == "unreachable" and "127.0.0.1" in d[2]["error"] and d[2]["exit_code"] is None' \
	'd[3]["verdict"] == "no_answer" and "no nesdoctor fact" in d[3]["error"]'
CAUSE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[1]["primary_cause"])' "$R")
python3 - "$W/report/fleet-report.csv" "$R" > "$W/csv.why" 2>&1 <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
js = json.load(open(sys.argv[2], encoding="utf-8"))
assert len(rows) == 4, rows
for r, j in zip(rows, js):
    assert list(r) == list(j), (list(r), list(j))
    for k in j:
        assert r[k] == ("" if j[k] is None else str(j[k])), (k, r[k], j[k])
PY
[ $? -eq 0 ] && ok "report CSV: the header and the same four rows as the JSON" || { bad "report CSV"; show "$W/csv.why"; }
for l in '"hosts: 4"' '"verdict no_answer: 1"' '"verdict not_ready: 1"' '"verdict ready: 1"' \
	'"verdict unreachable: 1"' "\"cause $CAUSE: 1\""; do
	has "$OUT" "$l" "printed counts: $l"
done
grep -q '"cause ' "$OUT" && [ "$(grep -c '"cause ' "$OUT")" -eq 1 ] &&
	ok "printed counts: one cause only" || bad "printed counts: causes"
# the fact alone, when nesdoctor cannot answer: still one JSON object, exit 0
F=$A/roles/nesdoctor/files/nesdoctor.fact
printf '#!/bin/sh\necho oops >&2\nexit 70\n' > "$W/broken"; chmod +x "$W/broken"
printf '#!/bin/sh\nsleep 30 &\nsleep 30\n' > "$W/hang"; chmod +x "$W/hang"
for c in "missing:/nonexistent/nesdoctor:not installed" "broken:$W/broken:exited 70 without a summary" \
	"hang:$W/hang:did not finish within 2 s"; do
	IFS=: read -r n b why <<< "$c"
	env -i PATH=/usr/bin:/bin NESDOCTOR_BIN="$b" NESDOCTOR_FACT_TIMEOUT=2 "$F" > "$W/fact-$n.json" < /dev/null
	RC=$?
	[ $RC -eq 0 ] && jcheck "$W/fact-$n.json" "fact, nesdoctor $n: exit 0, verdict unknown (3), the reason" \
		'd["schema"] == "nesdoctor.fact/1" and d["verdict"] == "unknown" and d["exit_code"] == 3' \
		"'$why' in d['error']" || bad "fact, nesdoctor $n: exit $RC"
done

echo "note - ansible test: $((($(date +%s%N) - T0) / 1000000)) ms"
fleet_stop
finish
