/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "report/report.h"

void
nd_report_init(struct nd_report *rep, const struct nd_opts *opts)
{
	memset(rep, 0, sizeof *rep);
	rep->opts = opts ? opts : nd_opts_default();
	rep->time = time(NULL);
	rep->inventory = json_object_new_object();
	rep->internal = json_object_new_object();
	rep->verdict = ND_UNKNOWN;
}

void
nd_report_reset(struct nd_report *rep)
{
	for (size_t i = 0; i < rep->n_results; i++) {
		free(rep->results[i].message);
		free(rep->results[i].remedy);
		json_object_put(rep->results[i].details);
	}
	free(rep->results);
	json_object_put(rep->inventory);
	json_object_put(rep->internal);
	memset(rep, 0, sizeof *rep);
}

const struct nd_result *
nd_report_find(const struct nd_report *rep, const char *id)
{
	for (size_t i = 0; i < rep->n_results; i++)
		if (strcmp(rep->results[i].def->id, id) == 0)
			return &rep->results[i];
	return NULL;
}

static char *vfmt(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static char *
vfmt(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0) {
		fputs("nesdoctor: out of memory\n", stderr);
		abort();
	}
	return s;
}

void
nd_result_set(struct nd_result *r, enum nd_status st, const char *fmt, ...)
{
	va_list ap;

	r->status = st;
	free(r->message);
	va_start(ap, fmt);
	r->message = vfmt(fmt, ap);
	va_end(ap);
}

void
nd_result_remedy(struct nd_result *r, const char *fmt, ...)
{
	va_list ap;

	free(r->remedy);
	va_start(ap, fmt);
	r->remedy = vfmt(fmt, ap);
	va_end(ap);
}

json_object *
nd_result_details(struct nd_result *r)
{
	if (!r->details)
		r->details = json_object_new_object();
	return r->details;
}

/* Which dependency blocks this check: the first one that failed or was
 * itself blocked; the blame goes to the root failure. */
static const char *
blocking_dep(const struct nd_report *rep, const struct nd_check_def *def)
{
	for (size_t i = 0; i < ND_MAX_DEPS && def->deps[i]; i++) {
		const struct nd_result *d = nd_report_find(rep, def->deps[i]);
		if (!d)
			continue;   /* not evaluated by this command */
		if (d->status == ND_FAIL)
			return d->def->id;
		if (d->status == ND_SKIP && d->blocked_by)
			return d->blocked_by;
	}
	return NULL;
}

/* The primary cause (the first failure in causal order) and the verdict. */
static void
conclude(struct nd_report *rep)
{
	bool any_warn = false, any_fail = false, any_undetermined = false;

	rep->primary = NULL;
	for (size_t i = 0; i < rep->n_results; i++) {
		const struct nd_result *r = &rep->results[i];
		if (r->status == ND_FAIL) {
			if (!rep->primary)
				rep->primary = r;
			any_fail = true;
		} else if (r->status == ND_WARN)
			any_warn = true;
		if (r->undetermined)
			any_undetermined = true;
	}
	if (any_fail)
		rep->verdict = ND_NOT_READY;
	else if (any_undetermined || rep->n_results == 0)
		rep->verdict = ND_UNKNOWN;
	else if (any_warn)
		rep->verdict = ND_WARNING;
	else
		rep->verdict = ND_READY;
	if (rep->verdict_by) {
		const struct nd_result *r = nd_report_find(rep, rep->verdict_by);

		rep->verdict = r && r->status == ND_PASS ? ND_READY : ND_NOT_READY;
	}
}

void
nd_report_evaluate_defs(struct nd_report *rep, const struct nd_check_def *const *defs, size_t n)
{
	rep->results = nd_xcalloc(n, sizeof *rep->results);
	rep->n_results = 0;
	for (size_t i = 0; i < n; i++) {
		struct nd_result *r = &rep->results[rep->n_results++];
		const char *blocker;

		r->def = defs[i];
		r->status = ND_SKIP;
		blocker = blocking_dep(rep, defs[i]);
		if (blocker) {
			r->blocked_by = blocker;
			r->message = nd_asprintf(_("not checked because %s failed"), blocker);
			continue;
		}
		defs[i]->eval(rep, r);
		if (!r->message) {   /* a check that forgot to say anything */
			r->undetermined = true;
			r->status = ND_SKIP;
			r->message = nd_xstrdup(_("not evaluated"));
		}
	}

	conclude(rep);
}

void
nd_report_verdict_by(struct nd_report *rep, const char *check_id)
{
	rep->verdict_by = check_id;
}

void
nd_report_evaluate(struct nd_report *rep, const struct nd_check_def *const *checks, unsigned layers)
{
	size_t n = 0, k = 0;
	const struct nd_check_def **sel;

	while (checks[n])
		n++;
	sel = nd_xcalloc(n ? n : 1, sizeof *sel);
	for (size_t i = 0; i < n; i++)
		if (checks[i]->layer & layers)
			sel[k++] = checks[i];
	rep->layers = layers;
	nd_report_evaluate_defs(rep, sel, k);
	free(sel);
}

enum nd_exit
nd_verdict_exit(enum nd_verdict v)
{
	switch (v) {
	case ND_READY: return ND_EXIT_READY;
	case ND_WARNING: return ND_EXIT_WARNING;
	case ND_NOT_READY: return ND_EXIT_NOT_READY;
	case ND_UNKNOWN: return ND_EXIT_UNKNOWN;
	}
	return ND_EXIT_UNKNOWN;
}

const char *
nd_status_name(enum nd_status s)
{
	switch (s) {
	case ND_PASS: return "pass";
	case ND_WARN: return "warn";
	case ND_FAIL: return "fail";
	case ND_SKIP: return "skip";
	case ND_INFO: return "info";
	}
	return "skip";
}

const char *
nd_verdict_name(enum nd_verdict v)
{
	switch (v) {
	case ND_READY: return "ready";
	case ND_WARNING: return "warning";
	case ND_NOT_READY: return "not_ready";
	case ND_UNKNOWN: return "unknown";
	}
	return "unknown";
}

const char *
nd_layer_name(enum nd_layer l)
{
	switch (l) {
	case ND_LAYER_SYS: return "sys";
	case ND_LAYER_USB: return "usb";
	case ND_LAYER_PCSC: return "pcsc";
	case ND_LAYER_P11: return "p11";
	case ND_LAYER_CERT: return "cert";
	case ND_LAYER_SIGN: return "sign";
	case ND_LAYER_DYS: return "dys";
	}
	return "?";
}

const char *
nd_layer_title(enum nd_layer l)
{
	switch (l) {
	case ND_LAYER_SYS: return _("System");
	case ND_LAYER_USB: return _("USB devices");
	case ND_LAYER_PCSC: return _("Card readers (PC/SC)");
	case ND_LAYER_P11: return _("Token and PKCS#11 library");
	case ND_LAYER_CERT: return _("Certificate");
	case ND_LAYER_SIGN: return _("Signing test");
	case ND_LAYER_DYS: return _("Ready for DYS");
	}
	return "?";
}
