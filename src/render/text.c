/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "core/i18n.h"
#include "core/safe.h"
#include "core/util.h"
#include "render/render.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_DIM "\033[2m"
#define C_CYAN "\033[36m"

bool
nd_render_use_color(const struct nd_opts *o, FILE *out)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (o && o->color == ND_COLOR_ALWAYS)
		return true;
	if ((o && o->color == ND_COLOR_NEVER) || (nc && *nc))
		return false;
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(out));
}

static const char *
mark(enum nd_status s)
{
	switch (s) {
	case ND_PASS: return "✔";
	case ND_WARN: return "!";
	case ND_FAIL: return "✘";
	case ND_SKIP: return "-";
	case ND_INFO: return "i";
	}
	return "?";
}

static const char *
status_color(enum nd_status s)
{
	switch (s) {
	case ND_PASS: return C_GREEN;
	case ND_WARN: return C_YELLOW;
	case ND_FAIL: return C_RED;
	case ND_SKIP: return C_DIM;
	case ND_INFO: return C_CYAN;
	}
	return "";
}

static const char *
verdict_text(enum nd_verdict v)
{
	switch (v) {
	case ND_READY: return _("READY: you can sign with this device");
	case ND_WARNING: return _("READY, WITH WARNINGS: signing should work, but something needs attention");
	case ND_NOT_READY: return _("NOT READY: signing will not work yet");
	case ND_UNKNOWN: return _("UNKNOWN: nesdoctor could not determine whether signing works");
	}
	return "";
}

/* For commands that look at some layers only (readers, tokens, verify,
 * sign-test): their checks passed, which is not yet "you can sign". */
static const char *
partial_verdict_text(enum nd_verdict v)
{
	switch (v) {
	case ND_READY: return _("OK: every check of this command passed (for the full answer: nesdoctor check)");
	case ND_WARNING: return _("OK, WITH WARNINGS: the checks of this command passed, but something needs attention");
	case ND_NOT_READY: return _("PROBLEM FOUND: a check of this command failed");
	case ND_UNKNOWN: return _("UNKNOWN: nesdoctor could not determine the result of these checks");
	}
	return "";
}

/* The verdict in one word, in the person's language. */
static const char *
verdict_word(enum nd_verdict v)
{
	switch (v) {
	case ND_READY: return _("ready");
	case ND_WARNING: return _("ready, with warnings");
	case ND_NOT_READY: return _("not ready");
	case ND_UNKNOWN: return _("could not determine");
	}
	return "";
}

static const char *
verdict_color(enum nd_verdict v)
{
	switch (v) {
	case ND_READY: return C_GREEN;
	case ND_WARNING: return C_YELLOW;
	case ND_NOT_READY: return C_RED;
	case ND_UNKNOWN: return C_YELLOW;
	}
	return "";
}

/* What escaping a remedy needs: --show-id, and the inventory's strings
 * that hold a line break (outside data: a name, a file name). */
struct outside {
	bool show_id;
	const char **nl;
	size_t n_nl, cap;
};

static void
collect_nl(json_object *o, struct outside *x)
{
	if (json_object_is_type(o, json_type_string)) {
		if (!strchr(json_object_get_string(o), '\n'))
			return;
		if (x->n_nl == x->cap) {
			const char **g = realloc(x->nl, (x->cap = x->cap ? 2 * x->cap : 8) * sizeof *g);
			if (!g) {
				fputs("nesdoctor: out of memory\n", stderr);
				abort();
			}
			x->nl = g;
		}
		x->nl[x->n_nl++] = json_object_get_string(o);
	} else if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			collect_nl(json_object_array_get_idx(o, i), x);
	} else if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v) {
			(void)k;
			collect_nl(v, x);
		}
	}
}

/* Is the line break at t[i] one of an outside string's, printed by a check
 * into its remedy? It is when up to 8 characters on either side of it match
 * such a string around one of its own line breaks. (A template line break
 * that happens to match is shown as \n: harmless.) */
static bool
outside_nl(const char *t, size_t i, const struct outside *x)
{
	size_t tn = strlen(t);

	for (size_t k = 0; k < x->n_nl; k++) {
		const char *s = x->nl[k];
		size_t sn = strlen(s);

		for (const char *q = strchr(s, '\n'); q; q = strchr(q + 1, '\n')) {
			size_t j = (size_t)(q - s);
			size_t a = j < 8 ? j : 8, b = sn - j - 1 < 8 ? sn - j - 1 : 8;

			if (a <= i && i + 1 + b <= tn && memcmp(t + i - a, s + j - a, a + 1 + b) == 0)
				return true;
		}
	}
	return false;
}

/* A remedy for the terminal: its own line breaks stay (the caller indents
 * the lines), everything else outside data brought is escaped, line breaks
 * included. */
static char *
safe_remedy(const char *text, const struct outside *x)
{
	size_t n = strlen(text), start = 0;
	char *out = nd_xstrdup(""), *next;

	for (size_t i = 0; i <= n; i++) {
		char *seg, *piece;

		if (i < n && (text[i] != '\n' || outside_nl(text, i, x)))
			continue;
		piece = nd_asprintf("%.*s", (int)(i - start), text + start);
		seg = nd_safe_text(piece, x->show_id, false);
		next = nd_asprintf("%s%s%s", out, start ? "\n" : "", seg);
		free(out);
		free(seg);
		free(piece);
		out = next;
		start = i + 1;
	}
	return out;
}

/* Print a multi-line text: the first line after `first`, the others after
 * `indent` (a hanging indent). */
static void
indented2(FILE *out, const struct outside *x, const char *first, const char *indent, const char *text)
{
	char *s = safe_remedy(text, x);
	bool head = true;

	for (const char *p = s; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(out, "%s%.*s\n", head ? first : indent, (int)n, p);
		head = false;
		p += n;
		if (*p == '\n')
			p++;
	}
	free(s);
}

static void
indented(FILE *out, const struct outside *x, const char *indent, const char *s)
{
	indented2(out, x, indent, indent, s);
}

void
nd_render_text(const struct nd_report *rep, FILE *out, bool color)
{
	static const enum nd_layer order[] = { ND_LAYER_USB, ND_LAYER_SYS, ND_LAYER_PCSC,
	    ND_LAYER_P11, ND_LAYER_CERT, ND_LAYER_SIGN, ND_LAYER_DYS };
	const char *b = color ? C_BOLD : "", *r0 = color ? C_RESET : "";
	bool show_id = rep->opts && rep->opts->show_id;
	struct outside x = { show_id, NULL, 0, 0 };
	/* The layers' sections print the inventory: they get a copy in which
	 * every string is escaped and masked, so that none of them can print
	 * outside data raw. Messages are escaped as they are printed. */
	struct nd_report view = *rep;
	char when[32], *m;
	struct tm tm;

	view.inventory = nd_safe_json(rep->inventory, ND_SAFE_TEXT, show_id);
	collect_nl(rep->inventory, &x);
	localtime_r(&rep->time, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	fprintf(out, "%snesdoctor %s%s  %s\n\n", b, ND_VERSION, r0, when);

	/* The answer first: verdict, then the primary cause and what to do. */
	fprintf(out, "%s%s%s%s\n", b, color ? verdict_color(rep->verdict) : "",
	    (rep->layers & ND_LAYER_DYS) ? verdict_text(rep->verdict) : partial_verdict_text(rep->verdict), r0);
	if (rep->primary) {
		m = nd_safe_text(rep->primary->message, show_id, false);
		fprintf(out, "  %s %s [%s]\n", _("Cause:"), m, rep->primary->def->id);
		free(m);
		if (rep->primary->remedy) {
			fprintf(out, "  %s\n", _("What to do:"));
			indented(out, &x, "    ", rep->primary->remedy);
		}
	} else if (rep->verdict == ND_UNKNOWN) {
		/* nothing failed: say what could not be determined, and how to
		 * get an answer */
		for (size_t i = 0; i < rep->n_results; i++) {
			const struct nd_result *r = &rep->results[i];
			if (!r->undetermined)
				continue;
			m = nd_safe_text(r->message, show_id, false);
			fprintf(out, "  %s %s [%s]\n", _("Not determined:"), m, r->def->id);
			free(m);
			if (r->remedy) {
				fprintf(out, "  %s\n", _("What to do:"));
				indented(out, &x, "    ", r->remedy);
			}
			break;
		}
	}
	fputc('\n', out);

	for (size_t l = 0; l < sizeof order / sizeof order[0]; l++) {
		bool any = false;

		for (size_t i = 0; i < rep->n_results; i++)
			if (rep->results[i].def->layer == order[l])
				any = true;
		if (!any && !(rep->layers & order[l]))
			continue;
		fprintf(out, "%s%s%s\n", b, nd_layer_title(order[l]), r0);
		for (size_t i = 0; i < rep->n_results; i++) {
			const struct nd_result *r = &rep->results[i];
			if (r->def->layer != order[l])
				continue;
			m = nd_safe_text(r->message, show_id, false);
			fprintf(out, "  %s%s%s %-18s %s\n", color ? status_color(r->status) : "",
			    mark(r->status), r0, r->def->id, m);
			free(m);
			/* the primary cause's remedy stands at the top already */
			if (r->remedy && r->status != ND_PASS && r != rep->primary &&
			    !(rep->primary && rep->primary->remedy && strcmp(r->remedy, rep->primary->remedy) == 0))
				indented2(out, &x, "                       → ", "                         ", r->remedy);
		}
		nd_render_text_inventory(&view, order[l], out, color);
		fputc('\n', out);
	}
	fprintf(out, "%s %s (%s, %s %d)\n", _("Verdict:"), verdict_word(rep->verdict),
	    nd_verdict_name(rep->verdict), _("exit code"), (int)nd_verdict_exit(rep->verdict));
	json_object_put(view.inventory);
	free(x.nl);
}
