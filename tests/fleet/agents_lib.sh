# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the fleet tests of contrib/ansible, contrib/zabbix and
# contrib/lider-ahenk (after tests/e2e/lib.sh when they need the world).
#   fleet_sshd NAME PORT [unshare ARGS...]
#       sshd on 127.0.0.1:PORT inside this test's namespaces (a key of its
#       own, root's login by the test's key only, no PAM); with unshare
#       ARGS, in namespaces of its own below these (another "host")
#   fleet_stop             stop those in namespaces of their own (before finish)
#   fleet_wait_port PORT   until something listens there (5 s)
#   summary_keys_ok FILE DESC   FILE holds one nesdoctor.summary/1 document
#                               with every key of the summary
FLEET_SUMMARY_KEYS="schema version time host command verdict exit_code primary_cause primary_message
certificate_not_after certificate_days_left pin_state readers tokens checks duration_ms"
FLEET_SUMMARY_KEYS=${FLEET_SUMMARY_KEYS//$'\n'/ }

# sshd's privilege separation folder, /run/sshd, on a /run of our own
fleet_run_sshd_dir() {
	[ -d /run/sshd ] && return 0
	if mountpoint -q /run/pcscd 2>/dev/null && ! mountpoint -q /run; then
		mount -t tmpfs -o mode=755 tmpfs /run
		mkdir -p /run/pcscd
	fi
	mkdir -p /run/sshd
}

fleet_ssh_keys() {
	[ -e "$RIG_WORK/ssh/client" ] && return 0
	mkdir -p "$RIG_WORK/ssh"
	ssh-keygen -q -t ed25519 -N '' -f "$RIG_WORK/ssh/client" -C fleet-test &&
		cp "$RIG_WORK/ssh/client.pub" "$RIG_WORK/ssh/authorized_keys" &&
		ssh-keygen -q -t ed25519 -N '' -f "$RIG_WORK/ssh/host" -C fleet-host
}

fleet_sshd() {
	local name=$1 port=$2 conf
	shift 2
	fleet_run_sshd_dir
	fleet_ssh_keys || { bad "ssh keys"; return 1; }
	conf=$RIG_WORK/ssh/sshd-$name.conf
	cat > "$conf" <<EOF2
ListenAddress 127.0.0.1
Port $port
HostKey $RIG_WORK/ssh/host
PidFile none
AuthorizedKeysFile $RIG_WORK/ssh/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
EOF2
	if [ $# -gt 0 ]; then
		rig_bg "$RIG_WORK/sshd-$name.log" unshare "$@" -- /usr/sbin/sshd -D -e -f "$conf"
		FLEET_NS_PIDS="${FLEET_NS_PIDS:-} $RIG_LAST_PID"
	else
		rig_bg "$RIG_WORK/sshd-$name.log" /usr/sbin/sshd -D -e -f "$conf"
	fi
	fleet_wait_port "$port" || { bad "sshd $name did not listen on $port"; show "$RIG_WORK/sshd-$name.log"; return 1; }
}

# fleet_stop: the sshds in namespaces of their own. unshare --fork ignores
# the TERM rig_cleanup sends; KILL makes --kill-child take sshd down, and
# with it that PID namespace.
fleet_stop() {
	local p
	for p in ${FLEET_NS_PIDS:-}; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	FLEET_NS_PIDS=""
}

fleet_wait_port() {
	local i
	for ((i = 0; i < 100; i++)); do
		ss -ltn | grep -q "127.0.0.1:$1 " && return 0
		sleep 0.05
	done
	return 1
}

summary_keys_ok() {
	jcheck "$1" "$2: one nesdoctor.summary/1 document with every key" \
		'd["schema"] == "nesdoctor.summary/1" and d["command"] == "check"' \
		"all(k in d for k in '$FLEET_SUMMARY_KEYS'.split())" \
		'd["verdict"] in ("ready", "warning", "not_ready", "unknown") and isinstance(d["exit_code"], int)' \
		'isinstance(d["checks"], dict) and isinstance(d["readers"], int) and isinstance(d["tokens"], int)'
}
