# SPDX-License-Identifier: BSD-2-Clause
# Filters of fleet-check.yml: one row per host from what the fact gathering
# left in hostvars, the CSV, and the counts.
import csv
import io

COLUMNS = ("host", "verdict", "primary_cause", "exit_code", "certificate_not_after",
           "certificate_days_left", "readers", "tokens", "version", "time", "error")


def _row(host, res):
    row = dict.fromkeys(COLUMNS)
    row["host"] = host
    if not isinstance(res, dict) or not res:
        row["verdict"], row["error"] = "no_answer", "no result from this host"
    elif res.get("unreachable"):
        row["verdict"], row["error"] = "unreachable", str(res.get("msg") or "unreachable").strip()
    elif res.get("failed") or res.get("skipped"):
        row["verdict"], row["error"] = "no_answer", str(res.get("msg") or "fact gathering failed").strip()
    else:
        fact = res.get("ansible_facts", {}).get("ansible_local", {}).get("nesdoctor")
        if not isinstance(fact, dict):
            row["verdict"] = "no_answer"
            # Ansible puts the fact's error text here when it is not JSON
            row["error"] = str(fact) if fact else "no nesdoctor fact on this host (role not applied?)"
        else:
            for k in COLUMNS[1:]:
                row[k] = fact.get(k)
            row["verdict"] = row["verdict"] or "unknown"
    if row["error"]:
        row["error"] = " ".join(str(row["error"]).split())[:300]
    return row


def nesdoctor_fleet_rows(hosts, hostvars, result_var="nesdoctor_gather"):
    rows = []
    for h in hosts:
        try:
            res = hostvars[h].get(result_var)
        except Exception:  # a host Ansible never got to
            res = None
        rows.append(_row(h, res))
    return rows


def nesdoctor_fleet_csv(rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in COLUMNS})
    return buf.getvalue()


def nesdoctor_fleet_counts(rows):
    """Lines "verdict NAME: N" and "cause ID: N", sorted, hosts first."""
    verdicts, causes = {}, {}
    for r in rows:
        verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1
        if r.get("primary_cause"):
            causes[r["primary_cause"]] = causes.get(r["primary_cause"], 0) + 1
    return (["hosts: %d" % len(rows)]
            + ["verdict %s: %d" % kv for kv in sorted(verdicts.items())]
            + ["cause %s: %d" % kv for kv in sorted(causes.items())])


class FilterModule(object):
    def filters(self):
        return {
            "nesdoctor_fleet_rows": nesdoctor_fleet_rows,
            "nesdoctor_fleet_csv": nesdoctor_fleet_csv,
            "nesdoctor_fleet_counts": nesdoctor_fleet_counts,
        }
