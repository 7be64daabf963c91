/* SPDX-License-Identifier: BSD-2-Clause */
/* What a probing child sends about a module, as the parent reads it:
 * framed JSON (nd_chan_decode), then the p11 layer's own checks of each
 * message (nd_p11_ingest_msg), the end of the child, then the checks over
 * the inventory and the JSON document. A module can make its child say
 * anything; none of it may hurt the parent, nor break the output (see
 * render_check.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "checks/checks.h"
#include "core/isolate.h"
#include "core/opts.h"
#include "p11/p11_int.h"
#include "render/render.h"
#include "render_check.h"
#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char readers[] = "[{\"name\": \"Virtual PCD 00 00\", \"card\": {\"family\": \"akis_tc\"}},"
	    " {\"name\": \"ACS ACR39U ICC Reader 00 00\"}]";
	struct nd_chan_decoder d = { 0 };
	struct nd_child_result res = { 0 };
	struct nd_opts o;
	struct nd_report rep;
	struct nd_p11_ingest *in;
	json_object *mods, *m, *toks, *certs, *der, *rd;

	nd_opts_defaults(&o);
	o.show_id = size && (data[0] & 1);
	nd_report_init(&rep, &o);
	mods = json_object_new_array();
	toks = json_object_new_array();
	certs = json_object_new_array();
	der = json_object_new_array();
	rd = json_tokener_parse(readers);
	m = json_object_new_object();
	json_object_object_add(m, "path", json_object_new_string("/usr/lib/libakisp11.so"));
	json_object_object_add(m, "source", json_object_new_string("akis-known-path"));
	json_object_array_add(mods, m);
	json_object_object_add(rep.inventory, "readers", rd);
	in = nd_p11_ingest_new(m, rd, &o);
	(void)nd_chan_decode(&d, data, size, nd_p11_ingest_msg, in);
	res.end = size > 1 ? (enum nd_child_end)(data[1] % 6) : ND_CHILD_EXITED;
	res.code = size > 2 ? data[2] : 0;
	snprintf(res.step, sizeof res.step, "C_GetTokenInfo(slot 0)");
	nd_p11_ingest_end(in, &res, toks, certs, der);
	nd_p11_ingest_free(&in);
	nd_chan_decoder_reset(&d);
	json_object_object_add(rep.inventory, "modules", mods);
	json_object_object_add(rep.inventory, "tokens", toks);
	json_object_object_add(rep.inventory, "certificates", certs);
	json_object_object_add(rep.internal, "certificates", der);
	nd_report_evaluate(&rep, nd_checks, ND_LAYER_P11 | ND_LAYER_SIGN);
	nd_fuzz_check_render(&rep);
	nd_report_reset(&rep);
	return 0;
}
