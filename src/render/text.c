#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "core/i18n.h"
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

/* Print a multi-line text: the first line after `first`, the others after
 * `indent` (a hanging indent). */
static void
indented2(FILE *out, const char *first, const char *indent, const char *s)
{
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
}

static void
indented(FILE *out, const char *indent, const char *s)
{
	indented2(out, indent, indent, s);
}

void
nd_render_text(const struct nd_report *rep, FILE *out, bool color)
{
	static const enum nd_layer order[] = { ND_LAYER_USB, ND_LAYER_SYS, ND_LAYER_PCSC,
	    ND_LAYER_P11, ND_LAYER_CERT, ND_LAYER_SIGN, ND_LAYER_DYS };
	const char *b = color ? C_BOLD : "", *r0 = color ? C_RESET : "";
	char when[32];
	struct tm tm;

	localtime_r(&rep->time, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	fprintf(out, "%snesdoctor %s%s  %s\n\n", b, ND_VERSION, r0, when);

	/* The answer first: verdict, then the primary cause and what to do. */
	fprintf(out, "%s%s%s%s\n", b, color ? verdict_color(rep->verdict) : "",
	    (rep->layers & ND_LAYER_DYS) ? verdict_text(rep->verdict) : partial_verdict_text(rep->verdict), r0);
	if (rep->primary) {
		fprintf(out, "  %s %s [%s]\n", _("Cause:"), rep->primary->message, rep->primary->def->id);
		if (rep->primary->remedy) {
			fprintf(out, "  %s\n", _("What to do:"));
			indented(out, "    ", rep->primary->remedy);
		}
	} else if (rep->verdict == ND_UNKNOWN) {
		/* nothing failed: say what could not be determined, and how to
		 * get an answer */
		for (size_t i = 0; i < rep->n_results; i++) {
			const struct nd_result *r = &rep->results[i];
			if (!r->undetermined)
				continue;
			fprintf(out, "  %s %s [%s]\n", _("Not determined:"), r->message ? r->message : "",
			    r->def->id);
			if (r->remedy) {
				fprintf(out, "  %s\n", _("What to do:"));
				indented(out, "    ", r->remedy);
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
			fprintf(out, "  %s%s%s %-18s %s\n", color ? status_color(r->status) : "",
			    mark(r->status), r0, r->def->id, r->message ? r->message : "");
			/* the primary cause's remedy stands at the top already */
			if (r->remedy && r->status != ND_PASS && r != rep->primary &&
			    !(rep->primary && rep->primary->remedy && strcmp(r->remedy, rep->primary->remedy) == 0))
				indented2(out, "                       → ", "                         ", r->remedy);
		}
		nd_render_text_inventory(rep, order[l], out, color);
		fputc('\n', out);
	}
	fprintf(out, "%s %s (%s, %s %d)\n", _("Verdict:"), verdict_word(rep->verdict),
	    nd_verdict_name(rep->verdict), _("exit code"), (int)nd_verdict_exit(rep->verdict));
}

int
nd_render(const struct nd_report *rep)
{
	if (rep->opts && rep->opts->json)
		nd_render_json(rep, stdout);
	else
		nd_render_text(rep, stdout, nd_render_use_color(rep->opts, stdout));
	fflush(stdout);
	return (int)nd_verdict_exit(rep->verdict);
}
