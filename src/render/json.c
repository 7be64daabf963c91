/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>
#include <time.h>

#include "config.h"
#include "core/safe.h"
#include "render/render.h"

json_object *
nd_render_json_doc(const struct nd_report *rep)
{
	json_object *doc = json_object_new_object(), *checks = json_object_new_array(), *safe;
	char when[32];
	struct tm tm;

	gmtime_r(&rep->time, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);

	json_object_object_add(doc, "schema", json_object_new_string(ND_SCHEMA));
	json_object_object_add(doc, "version", json_object_new_string(ND_VERSION));
	json_object_object_add(doc, "time", json_object_new_string(when));
	json_object_object_add(doc, "command",
	    json_object_new_string(rep->opts && rep->opts->command ? rep->opts->command : "check"));
	json_object_object_add(doc, "lang",
	    json_object_new_string(rep->opts && rep->opts->lang ? rep->opts->lang : "en"));
	json_object_object_add(doc, "verdict", json_object_new_string(nd_verdict_name(rep->verdict)));
	json_object_object_add(doc, "exit_code", json_object_new_int(nd_verdict_exit(rep->verdict)));
	json_object_object_add(doc, "primary_cause",
	    rep->primary ? json_object_new_string(rep->primary->def->id) : NULL);

	for (size_t i = 0; i < rep->n_results; i++) {
		const struct nd_result *r = &rep->results[i];
		json_object *c = json_object_new_object(), *deps = json_object_new_array();

		json_object_object_add(c, "id", json_object_new_string(r->def->id));
		json_object_object_add(c, "layer", json_object_new_string(nd_layer_name(r->def->layer)));
		json_object_object_add(c, "status", json_object_new_string(nd_status_name(r->status)));
		json_object_object_add(c, "message", json_object_new_string(r->message ? r->message : ""));
		json_object_object_add(c, "remedy", r->remedy ? json_object_new_string(r->remedy) : NULL);
		for (size_t d = 0; d < ND_MAX_DEPS && r->def->deps[d]; d++)
			json_object_array_add(deps, json_object_new_string(r->def->deps[d]));
		json_object_object_add(c, "depends_on", deps);
		json_object_object_add(c, "blocked_by",
		    r->blocked_by ? json_object_new_string(r->blocked_by) : NULL);
		if (r->undetermined)
			json_object_object_add(c, "undetermined", json_object_new_boolean(1));
		if (r->details)
			json_object_object_add(c, "details", json_object_get(r->details));
		json_object_array_add(checks, c);
	}
	json_object_object_add(doc, "checks", checks);
	json_object_object_add(doc, "inventory", json_object_get(rep->inventory));
	/* Once, over the whole document: every string valid UTF-8 and every
	 * TCKN masked (unless --show-id), wherever a collector or a check put
	 * outside data. */
	safe = nd_safe_json(doc, ND_SAFE_JSON, rep->opts && rep->opts->show_id);
	json_object_put(doc);
	return safe;
}

void
nd_render_json(const struct nd_report *rep, FILE *out)
{
	json_object *doc = nd_render_json_doc(rep);

	fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	    JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(doc);
}
