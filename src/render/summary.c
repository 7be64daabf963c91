/* SPDX-License-Identifier: BSD-2-Clause */
/* The fleet summary (--format summary, schema nesdoctor.summary/1): one
 * small JSON object for the engines a fleet already runs (Ansible facts,
 * Zabbix's master item, Lider Ahenk's script policy). Its keys are an
 * interface, listed in the README's Fleet section. It carries no holder's
 * name and no unmasked identity number, even with --show-id: it leaves
 * the machine. The facts it shares with the Prometheus metrics are read
 * here once (nd_render_fleet_facts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "core/i18n.h"
#include "core/safe.h"
#include "core/util.h"
#include "render/render.h"

static const char *const pin_names[] = { "unknown", "ok", "count_low", "final_try", "locked" };

const char *
nd_pin_state_name(enum nd_pin_state s)
{
	return (size_t)s < sizeof pin_names / sizeof pin_names[0] ? pin_names[s] : "unknown";
}

/* "2031-05-04T12:00:00Z" as the inventory holds dates; false otherwise */
static bool
parse_utc(const char *s, int64_t *out)
{
	struct tm tm;
	const char *end;

	if (!s)
		return false;
	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return false;
	*out = (int64_t)timegm(&tm);
	return true;
}

/* The signing token's PIN state, from the flags p11.pin judged (its
 * details): unknown when p11.pin did not read them. */
static enum nd_pin_state
pin_state(const struct nd_report *rep)
{
	const struct nd_result *r = nd_report_find(rep, "p11.pin");
	json_object *f = r ? nd_jobj(r->details, "flags") : NULL;

	if (!f)
		return ND_PIN_UNKNOWN;
	if (nd_jbool(f, "user_pin_locked", false))
		return ND_PIN_LOCKED;
	if (nd_jbool(f, "user_pin_final_try", false))
		return ND_PIN_FINAL_TRY;
	if (nd_jbool(f, "user_pin_count_low", false))
		return ND_PIN_COUNT_LOW;
	return ND_PIN_OK;
}

void
nd_render_fleet_facts(const struct nd_report *rep, struct nd_fleet_facts *f)
{
	json_object *cert = nd_jobj(rep->inventory, "signing_certificate");
	json_object *readers = nd_jarr(rep->inventory, "readers"), *tokens = nd_jarr(rep->inventory, "tokens");

	memset(f, 0, sizeof *f);
	f->has_not_after = parse_utc(nd_jstr(cert, "not_after"), &f->not_after);
	f->pin = pin_state(rep);
	f->readers = readers ? (long)json_object_array_length(readers) : 0;
	/* tokens that carry something: SoftHSM's and some middleware's empty
	 * spare slots are not a token the person has */
	for (size_t i = 0; tokens && i < json_object_array_length(tokens); i++)
		if (nd_jbool(nd_jobj(json_object_array_get_idx(tokens, i), "flags"), "token_initialized", false))
			f->tokens++;
	if (rep->opts && rep->opts->started_ms > 0)
		f->duration_ms = nd_now_ms() - rep->opts->started_ms;
}

/* Does msg hold a name from a certificate the run saw (the holder's, the
 * signing certificate's subject, a certificate's subject CN)? Such a message stays on the machine. */
static bool
names_someone(const struct nd_report *rep, const char *msg)
{
	json_object *sc = nd_jobj(rep->inventory, "signing_certificate");
	json_object *certs = nd_jarr(rep->inventory, "certificates");
	const char *names[3] = { nd_jstr(nd_jobj(sc, "holder"), "name"), nd_jstr(sc, "subject_cn"), nd_jstr(sc, "subject") };

	for (size_t i = 0; i < 3; i++)
		if (names[i] && strlen(names[i]) >= 3 && strstr(msg, names[i]))
			return true;
	for (size_t i = 0; certs && i < json_object_array_length(certs); i++) {
		const char *cn = nd_jstr(json_object_array_get_idx(certs, i), "subject_cn");

		if (cn && strlen(cn) >= 3 && strstr(msg, cn))
			return true;
	}
	return false;
}

/* The primary cause's message for the summary: masked and escaped as on a
 * terminal; withheld (a fixed text) for cert.holder and dys.ready, whose
 * messages exist to name the holder, and for any message that holds a
 * certificate's name. New string; NULL when there is no primary cause. */
static char *
primary_message(const struct nd_report *rep)
{
	const struct nd_result *p = rep->primary;

	if (!p)
		return NULL;
	if (!p->message || strcmp(p->def->id, "cert.holder") == 0 || strcmp(p->def->id, "dys.ready") == 0 ||
	    names_someone(rep, p->message))
		return nd_xstrdup(_("withheld: this check's message may name the certificate holder (run nesdoctor check on the machine)"));
	return nd_safe_text(p->message, false, false);
}

static void
iso_utc(int64_t t, char *buf, size_t bufsz)
{
	time_t tt = (time_t)t;
	struct tm tm;

	buf[0] = '\0';
	if (gmtime_r(&tt, &tm))
		strftime(buf, bufsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* floor((a - b) / 86400): an expired certificate has negative days */
static int64_t
days_between(int64_t a, int64_t b)
{
	int64_t d = a - b;

	return d >= 0 ? d / 86400 : -((-d + 86399) / 86400);
}

json_object *
nd_render_summary_doc(const struct nd_report *rep)
{
	json_object *doc = json_object_new_object(), *checks = json_object_new_object(), *safe;
	struct nd_fleet_facts f;
	char when[32], host[256], na[32];
	char *msg;

	nd_render_fleet_facts(rep, &f);
	iso_utc((int64_t)rep->time, when, sizeof when);
	if (gethostname(host, sizeof host) != 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	json_object_object_add(doc, "schema", json_object_new_string(ND_SUMMARY_SCHEMA));
	json_object_object_add(doc, "version", json_object_new_string(ND_VERSION));
	json_object_object_add(doc, "time", json_object_new_string(when));
	json_object_object_add(doc, "host", json_object_new_string(host));
	json_object_object_add(doc, "command",
	    json_object_new_string(rep->opts && rep->opts->command ? rep->opts->command : "check"));
	json_object_object_add(doc, "verdict", json_object_new_string(nd_verdict_name(rep->verdict)));
	json_object_object_add(doc, "exit_code", json_object_new_int(nd_verdict_exit(rep->verdict)));
	json_object_object_add(doc, "primary_cause",
	    rep->primary ? json_object_new_string(rep->primary->def->id) : NULL);
	msg = primary_message(rep);
	json_object_object_add(doc, "primary_message", msg ? json_object_new_string(msg) : NULL);
	free(msg);
	iso_utc(f.not_after, na, sizeof na);
	json_object_object_add(doc, "certificate_not_after", f.has_not_after ? json_object_new_string(na) : NULL);
	json_object_object_add(doc, "certificate_days_left",
	    f.has_not_after ? json_object_new_int64(days_between(f.not_after, (int64_t)rep->time)) : NULL);
	json_object_object_add(doc, "pin_state", json_object_new_string(nd_pin_state_name(f.pin)));
	json_object_object_add(doc, "readers", json_object_new_int64(f.readers));
	json_object_object_add(doc, "tokens", json_object_new_int64(f.tokens));
	for (size_t i = 0; i < rep->n_results; i++)
		json_object_object_add(checks, rep->results[i].def->id,
		    json_object_new_string(nd_status_name(rep->results[i].status)));
	json_object_object_add(doc, "checks", checks);
	json_object_object_add(doc, "duration_ms", json_object_new_int64(f.duration_ms));
	/* valid UTF-8 and every identity number masked, --show-id or not */
	safe = nd_safe_json(doc, ND_SAFE_JSON, false);
	json_object_put(doc);
	return safe;
}

void
nd_render_summary(const struct nd_report *rep, FILE *out)
{
	json_object *doc = nd_render_summary_doc(rep);

	fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(doc);
}
