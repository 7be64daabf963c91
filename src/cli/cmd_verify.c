/* SPDX-License-Identifier: BSD-2-Clause */
/* nesdoctor verify FILE...: the certificate checks on files (PEM, DER or
 * PKCS#7), for IT staff. The files take the place of the token's
 * certificates: the first end-entity certificate that looks like a
 * qualified signing certificate is judged, the others (CA certificates)
 * help build its chain.
 *
 * Only the cert layer is evaluated: dys.ready needs the reader, card, token
 * and PIN, which a file cannot tell, so it would always answer "could not
 * determine" (exit 3) and hide the answer the person asked for. */
#include <stdio.h>

#include "checks/checks.h"
#include "cli/cli.h"
#include "core/i18n.h"
#include "core/safe.h"
#include "core/util.h"
#include "render/render.h"
#include "report/report.h"
#include "x509/x509.h"

int
nd_cmd_verify(struct nd_opts *o)
{
	struct nd_report rep;
	json_object *inputs;
	int code;

	if (o->nargs < 1)
		return nd_usage_error("%s", _("verify needs at least one certificate file"));
	nd_report_init(&rep, o);
	nd_x509_add_files(&rep, o->args, (size_t)o->nargs);
	nd_x509_collect(&rep);
	nd_report_evaluate(&rep, nd_checks, ND_LAYER_CERT);
	/* a file that could not be read is said on stderr too, so that a
	 * script reading only the exit code has a line to log */
	inputs = nd_jarr(rep.inventory, "inputs");
	for (size_t i = 0; inputs && i < json_object_array_length(inputs); i++) {
		json_object *in = json_object_array_get_idx(inputs, i);
		json_object *sk = nd_jarr(in, "skipped");

		if (nd_jstr(in, "error"))
			nd_safe_line(stderr, o->show_id, "nesdoctor: %s: %s", nd_jstr(in, "file"),
			    nd_jstr(in, "detail") ? nd_jstr(in, "detail") : "?");
		for (size_t k = 0; sk && k < json_object_array_length(sk); k++)
			nd_safe_line(stderr, o->show_id, "nesdoctor: %s: %s %s", nd_jstr(in, "file"), _("skipped:"),
			    json_object_get_string(json_object_array_get_idx(sk, k)));
	}
	code = nd_render(&rep);
	nd_report_reset(&rep);
	return code;
}
