#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# contrib/zabbix with Debian's zabbix-agent: `zabbix_agentd -t nesdoctor.check`
# with a test config that Includes contrib/zabbix/nesdoctor.conf prints the
# summary of the built nesdoctor (reached through PATH, as the agent finds
# /usr/bin/nesdoctor), in the e2e world (ready) and without pcscd (not
# ready); the template parses and its dependent items' JSONPaths name keys
# of the summary, its triggers name its items.
: "${ND_SRC:?}"
. "$ND_SRC/tests/e2e/lib.sh" || exit 1
. "$ND_SRC/tests/fleet/agents_lib.sh" || exit 1
rig_enter_ns "$@"
T0=$(date +%s%N)
Z=$ND_SRC/contrib/zabbix
AGENT=$(command -v zabbix_agentd) || { bad "no zabbix_agentd (package zabbix-agent)"; finish; exit 1; }
W=$RIG_WORK
mkdir -p "$W/bin"
ln -s "$ND_BIN" "$W/bin/nesdoctor"
cat > "$W/agent.conf" <<EOF2
LogType=console
Timeout=30
AllowRoot=1
PidFile=$W/agent.pid
Include=$Z/nesdoctor.conf
EOF2
grep -q '^UserParameter=nesdoctor.check,.*timeout [-k0-9 ]*2[0-9] nesdoctor check --format summary --timeout [0-9]' "$Z/nesdoctor.conf" &&
	ok "nesdoctor.conf: nesdoctor.check bounded below the agent's 30 s" || bad "nesdoctor.conf: the UserParameter line"

# agent_test NAME: zabbix_agentd -t nesdoctor.check; the JSON inside
# "nesdoctor.check   [t|...]" in $W/NAME.json
agent_test() {
	local t0=$(date +%s%N)
	PATH=$W/bin:$PATH "$AGENT" -c "$W/agent.conf" -t nesdoctor.check > "$W/$1.out" 2> "$W/$1.err"
	RC=$? MS=$((($(date +%s%N) - t0) / 1000000)) OUT=$W/$1.out ERR=$W/$1.err
	echo "note - zabbix_agentd -t, $1: ${MS} ms"
	sed -n 's/^nesdoctor\.check  *\[t|\(.*\)\]$/\1/p' "$OUT" > "$W/$1.json"
	[ "$RC" -eq 0 ] && [ -s "$W/$1.json" ] && ok "$1: the agent returned a text value" ||
		{ bad "$1: no [t|...] value (exit $RC)"; show "$OUT" "$ERR"; }
}

# no pcscd: not ready, still a summary (the exit code 2 is not an error)
agent_test nopcscd
summary_keys_ok "$W/nopcscd.json" "no pcscd"
jcheck "$W/nopcscd.json" "no pcscd: not ready, exit code 2, no readers" \
	'd["verdict"] == "not_ready" and d["exit_code"] == 2 and d["readers"] == 0' \
	'd["primary_cause"] in ("sys.pcscd", "pcsc.service")'

# the e2e world, its options from fleet.args' format (one per line) through
# an args file the test points the command at (the real one is /etc)
e2e_world
e2e_token rsa good-rsa
e2e_card "$UEKAE"
e2e_use rsa
nd_opts ready | tr ' ' '\n' > "$W/fleet.args"
printf '# a comment\n\n--lang\nen\n' >> "$W/fleet.args"
sed "s|/etc/nesdoctor/fleet.args|$W/fleet.args|" "$Z/nesdoctor.conf" > "$W/nesdoctor.conf"
sed -i "s|^Include=.*|Include=$W/nesdoctor.conf|" "$W/agent.conf"
agent_test ready
summary_keys_ok "$W/ready.json" "ready"
jcheck "$W/ready.json" "ready: verdict, certificate, PIN, readers, tokens" \
	'd["verdict"] == "ready" and d["exit_code"] == 0 and d["primary_cause"] is None' \
	'isinstance(d["certificate_days_left"], int) and d["certificate_days_left"] > 30' \
	'd["pin_state"] == "ok" and d["readers"] == 2 and d["tokens"] >= 1 and d["checks"]["dys.ready"] == "pass"'

# the template: well-formed, Zabbix 6.0, one master item of type Zabbix
# agent with the UserParameter's key, dependent items on $.<summary key>
python3 - "$Z/nesdoctor_zabbix6.yaml" "$W/ready.json" > "$W/template.why" 2>&1 <<'PY'
import json, re, sys, yaml
t = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
summary = json.load(open(sys.argv[2], encoding="utf-8"))
e = t["zabbix_export"]
assert e["version"] == "6.0", e["version"]
uuids = []
tpl, = e["templates"]
name = tpl["template"]
uuids.append(tpl["uuid"])
items = {i["key"]: i for i in tpl["items"]}
master = items["nesdoctor.check"]
assert master.get("type", "ZABBIX_PASSIVE") == "ZABBIX_PASSIVE" and master["value_type"] == "TEXT"
deps = [i for i in tpl["items"] if i.get("type") == "DEPENDENT"]
assert len(deps) == len(items) - 1
paths = set()
for i in deps:
    assert i["master_item"]["key"] == "nesdoctor.check", i["key"]
    pp, = i["preprocessing"]
    assert pp["type"] == "JSONPATH", i["key"]
    m = re.fullmatch(r"\$\.([a-z_]+)", pp["parameters"][0])
    assert m and m.group(1) in summary, (i["key"], pp["parameters"])
    paths.add(m.group(1))
for k in ("verdict", "primary_cause", "certificate_days_left", "pin_state", "exit_code"):
    assert k in paths, k
triggers = [tr for i in tpl["items"] for tr in i.get("triggers", [])]
for tr in triggers:
    uuids.append(tr["uuid"])
    for fn, host, key in re.findall(r"(\w+)\(/([^/]+)/([^,)]+)", tr["expression"]):
        assert host == name and key in items, tr["expression"]
exprs = " ".join(tr["expression"] for tr in triggers)
assert 'nesdoctor.verdict)="not_ready"' in exprs
assert "nesdoctor.certificate_days_left)<30" in exprs
assert '"final_try"' in exprs and '"locked"' in exprs
assert "nodata(/%s/nesdoctor.check,3h)=1" % name in exprs
uuids += [i["uuid"] for i in tpl["items"]] + [g["uuid"] for g in e["groups"]]
assert len(set(uuids)) == len(uuids)
assert all(re.fullmatch(r"[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}", u) for u in uuids), "UUIDv4, 32 hex digits"
print(len(deps), "dependent items,", len(triggers), "triggers")
PY
[ $? -eq 0 ] && ok "template: $(tail -1 "$W/template.why"); JSONPaths are summary keys, triggers on its items" ||
	{ bad "template"; show "$W/template.why"; }
echo "note - zabbix test: $((($(date +%s%N) - T0) / 1000000)) ms"
finish
