/* SPDX-License-Identifier: BSD-2-Clause */
/* A saved report read back and printed as text. The text report is made by
 * the same nd_render_text() as a live run: the document's checks become
 * results again (their messages and remedies as saved, in the language of
 * the run), its inventory the inventory. Only what the document says is
 * used, so a report from a newer nesdoctor with checks this one does not
 * know is still shown. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/util.h"
#include "render/render.h"
#include "render/saved.h"
#include "report/report.h"

/* Nesting of a real report stays below 20; a bound keeps json-c's
 * recursion small on hostile input. */
#define SAVED_DEPTH 64

static bool
is_type(const json_object *o, const char *key, json_type t)
{
	json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, t);
}

/* A string, or null when nullable. */
static bool
str_or_null(const json_object *o, const char *key)
{
	json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) && (v == NULL || json_object_is_type(v, json_type_string));
}

static bool
layer_of(const char *name, enum nd_layer *out)
{
	for (unsigned b = 1; b & ND_LAYER_ALL; b <<= 1)
		if (name && strcmp(nd_layer_name((enum nd_layer)b), name) == 0) {
			*out = (enum nd_layer)b;
			return true;
		}
	return false;
}

static bool
status_of(const char *name, enum nd_status *out)
{
	for (int s = ND_PASS; s <= ND_INFO; s++)
		if (name && strcmp(nd_status_name((enum nd_status)s), name) == 0) {
			*out = (enum nd_status)s;
			return true;
		}
	return false;
}

static bool
verdict_of(const char *name, enum nd_verdict *out)
{
	for (int v = ND_READY; v <= ND_UNKNOWN; v++)
		if (name && strcmp(nd_verdict_name((enum nd_verdict)v), name) == 0) {
			*out = (enum nd_verdict)v;
			return true;
		}
	return false;
}

static bool
time_of(const char *s, time_t *out)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof tm);
	if (!s || !(end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) || *end)
		return false;
	*out = timegm(&tm);
	return true;
}

/* One check of the document: NULL when it is whole, else the field that is
 * missing or wrong. */
static const char *
check_bad(const json_object *c)
{
	enum nd_layer l;
	enum nd_status s;
	json_object *deps = NULL;

	if (!json_object_is_type(c, json_type_object))
		return "checks[]";
	if (!is_type(c, "id", json_type_string))
		return "checks[].id";
	if (!layer_of(nd_jstr(c, "layer"), &l))
		return "checks[].layer";
	if (!status_of(nd_jstr(c, "status"), &s))
		return "checks[].status";
	if (!is_type(c, "message", json_type_string))
		return "checks[].message";
	if (!str_or_null(c, "remedy"))
		return "checks[].remedy";
	if (!str_or_null(c, "blocked_by"))
		return "checks[].blocked_by";
	if (!json_object_object_get_ex(c, "depends_on", &deps) || !json_object_is_type(deps, json_type_array))
		return "checks[].depends_on";
	return NULL;
}

/* Why doc is not a report this version can show, or NULL. */
static char *
doc_bad(const json_object *doc)
{
	static const char *const strs[] = { "version", "time", "command", "lang", "verdict" };
	enum nd_verdict v;
	time_t t;
	json_object *checks = NULL;
	const char *schema = nd_jstr(doc, "schema"), *primary = nd_jstr(doc, "primary_cause"), *bad = NULL;
	bool primary_found = false;

	if (!json_object_is_type(doc, json_type_object))
		return nd_xstrdup(_("it is JSON, but not a nesdoctor report (not an object)"));
	if (!schema)
		return nd_xstrdup(_("it is JSON, but not a nesdoctor report (no \"schema\")"));
	if (strcmp(schema, ND_SCHEMA) != 0)
		return nd_asprintf(_("its schema is not %s"), ND_SCHEMA);
	for (size_t i = 0; i < sizeof strs / sizeof strs[0] && !bad; i++)
		if (!is_type(doc, strs[i], json_type_string))
			bad = strs[i];
	if (!bad && !time_of(nd_jstr(doc, "time"), &t))
		bad = "time";
	if (!bad && strcmp(nd_jstr(doc, "lang"), "tr") != 0 && strcmp(nd_jstr(doc, "lang"), "en") != 0)
		bad = "lang";
	if (!bad && !verdict_of(nd_jstr(doc, "verdict"), &v))
		bad = "verdict";
	if (!bad && (!is_type(doc, "exit_code", json_type_int) ||
	    json_object_get_int(json_object_object_get(doc, "exit_code")) != (int)nd_verdict_exit(v)))
		bad = "exit_code";
	if (!bad && !str_or_null(doc, "primary_cause"))
		bad = "primary_cause";
	if (!bad && !is_type(doc, "inventory", json_type_object))
		bad = "inventory";
	if (!bad && (!json_object_object_get_ex(doc, "checks", &checks) ||
	    !json_object_is_type(checks, json_type_array)))
		bad = "checks";
	for (size_t i = 0; !bad && i < json_object_array_length(checks); i++) {
		json_object *c = json_object_array_get_idx(checks, i);

		bad = check_bad(c);
		if (!bad && primary && strcmp(primary, nd_jstr(c, "id")) == 0)
			primary_found = true;
	}
	if (!bad && primary && !primary_found)
		bad = "primary_cause";
	return bad ? nd_asprintf(_("it is not a whole nesdoctor report: the field \"%s\" is missing or wrong"), bad) :
	    NULL;
}

json_object *
nd_saved_parse(const char *buf, size_t n, char **why)
{
	json_tokener *tok = NULL;
	json_object *doc = NULL;
	size_t used;

	*why = NULL;
	if (n > ND_SAVED_MAX) {
		*why = nd_asprintf(_("it is larger than a report can be (%u MiB)"), ND_SAVED_MAX >> 20);
		goto fail;
	}
	if (!(tok = json_tokener_new_ex(SAVED_DEPTH))) {
		*why = nd_xstrdup(_("out of memory"));
		goto fail;
	}
	doc = json_tokener_parse_ex(tok, buf, (int)n);
	used = json_tokener_get_parse_end(tok);
	/* after the document, only white space */
	while (doc && used < n && strchr(" \t\r\n", buf[used]) && buf[used])
		used++;
	if (!doc || json_tokener_get_error(tok) != json_tokener_success || used != n) {
		*why = nd_xstrdup(_("it is not JSON (nor a bundle)"));
		goto fail;
	}
	*why = doc_bad(doc);
fail:
	if (tok)
		json_tokener_free(tok);
	if (*why) {
		json_object_put(doc);
		doc = NULL;
	}
	return doc;
}

int
nd_saved_exit(const json_object *doc)
{
	return (int)nd_jint(doc, "exit_code", ND_EXIT_UNKNOWN);
}

const char *
nd_saved_lang(const json_object *doc)
{
	const char *l = nd_jstr(doc, "lang");

	return l && strcmp(l, "tr") == 0 ? "tr" : "en";
}

void
nd_render_saved_text(json_object *doc, const struct nd_opts *o, FILE *out, bool color)
{
	struct nd_report rep;
	struct nd_check_def *defs;
	json_object *checks = nd_jarr(doc, "checks");
	const char *primary = nd_jstr(doc, "primary_cause");
	size_t n = json_object_array_length(checks);

	memset(&rep, 0, sizeof rep);
	rep.opts = o;
	(void)time_of(nd_jstr(doc, "time"), &rep.time);
	(void)verdict_of(nd_jstr(doc, "verdict"), &rep.verdict);
	rep.inventory = nd_jobj(doc, "inventory");
	rep.results = nd_xcalloc(n ? n : 1, sizeof *rep.results);
	defs = nd_xcalloc(n ? n : 1, sizeof *defs);
	rep.n_results = n;
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(checks, i);
		struct nd_result *r = &rep.results[i];

		defs[i].id = nd_jstr(c, "id");
		(void)layer_of(nd_jstr(c, "layer"), &defs[i].layer);
		r->def = &defs[i];
		(void)status_of(nd_jstr(c, "status"), &r->status);
		r->message = nd_xstrdup(nd_jstr(c, "message"));
		r->remedy = nd_jstr(c, "remedy") ? nd_xstrdup(nd_jstr(c, "remedy")) : NULL;
		r->blocked_by = nd_jstr(c, "blocked_by");
		r->undetermined = nd_jbool(c, "undetermined", false);
		/* the layers the command evaluated are those of its checks */
		rep.layers |= defs[i].layer;
		if (primary && !rep.primary && strcmp(primary, defs[i].id) == 0)
			rep.primary = r;
	}
	nd_render_text(&rep, out, color);
	for (size_t i = 0; i < n; i++) {
		free(rep.results[i].message);
		free(rep.results[i].remedy);
	}
	free(rep.results);
	free(defs);
}
