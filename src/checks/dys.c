/* SPDX-License-Identifier: BSD-2-Clause */
/* The verdict check: ready to sign in DYS. It has no dependencies on
 * purpose: it runs last and reads every layer's result, so the report's
 * primary cause stays the first real failure, and this check names it. */
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "core/i18n.h"
#include "core/util.h"
#include "x509/view.h"

/* What must hold for a signature in DYS, in causal order. */
static const char *const needed[] = {
	"pcsc.service",     /* pcscd answers */
	"pcsc.reader",      /* a reader */
	"pcsc.card",        /* a card that answers */
	"pcsc.card_type",   /* and is a NES card */
	"p11.module",       /* the AKIS library loads */
	"p11.token",        /* the token is there */
	"p11.pin",          /* the PIN is not locked */
	"p11.objects",      /* certificate and private key */
	"p11.mechanisms",   /* a signing mechanism */
	"cert.qualified",
	"cert.validity",
	"cert.holder",
	"cert.key",
	"cert.chain",
	"cert.revocation",
};

static void
eval_ready(const struct nd_report *rep, struct nd_result *r)
{
	const struct nd_result *fail = NULL;
	const char *undet = NULL;
	char *warns = nd_xstrdup("");
	json_object *d = nd_result_details(r), *wl = json_object_new_array();
	const char *who = nd_jstr(nd_jobj(nd_x509_signing_cert(rep->inventory), ND_X509_K_HOLDER), ND_X509_K_NAME);

	json_object_object_add(d, "warnings", wl);
	/* Every check before this one, in causal order: the first failure is
	 * the report's primary cause, whatever layer it is in; every warning
	 * counts. */
	for (size_t i = 0; i < rep->n_results && &rep->results[i] != r; i++) {
		const struct nd_result *x = &rep->results[i];

		if (x->status == ND_FAIL && !fail)
			fail = x;
		if (x->status == ND_WARN) {
			char *n = nd_asprintf("%s%s%s", warns, warns[0] ? ", " : "", x->def->id);
			free(warns);
			warns = n;
			json_object_array_add(wl, json_object_new_string(x->def->id));
		}
	}
	/* What signing needs and this run did not establish. */
	for (size_t i = 0; i < sizeof needed / sizeof needed[0] && !undet; i++) {
		const struct nd_result *x = nd_report_find(rep, needed[i]);

		if (!x || (x->status == ND_SKIP && !x->blocked_by) || x->undetermined)
			undet = needed[i];
	}
	if (fail) {
		json_object_object_add(d, "blocked_by", json_object_new_string(fail->def->id));
		nd_result_set(r, ND_FAIL, _("not ready: %s failed (%s)"), fail->def->id,
		    fail->message ? fail->message : "");
		if (fail->remedy)
			nd_result_remedy(r, "%s", fail->remedy);
	} else if (undet) {
		json_object_object_add(d, "not_determined", json_object_new_string(undet));
		nd_result_set(r, ND_SKIP, _("could not determine whether signing works: %s was not determined"), undet);
		r->undetermined = true;
	} else if (warns[0]) {
		nd_result_set(r, ND_WARN, _("ready to sign in DYS, but these need attention: %s"), warns);
		nd_result_remedy(r, "%s", _("See the remedies of the checks marked with '!' above."));
	} else if (who)
		nd_result_set(r, ND_PASS, _("ready to sign in DYS with %s's qualified certificate"), who);
	else
		nd_result_set(r, ND_PASS, "%s", _("ready to sign in DYS"));
	free(warns);
}

const struct nd_check_def nd_check_dys_ready = { "dys.ready", ND_LAYER_DYS, { NULL }, eval_ready };
