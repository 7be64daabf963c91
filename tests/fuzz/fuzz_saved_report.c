/* SPDX-License-Identifier: BSD-2-Clause */
/* A saved report read back (`nesdoctor show`): nd_saved_parse on arbitrary
 * bytes must refuse or accept without a crash, a leak or unbounded work,
 * and every document it accepts must render as text (the same renderer as
 * a live run, over whatever the inventory holds) and as JSON. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/opts.h"
#include "core/safe.h"
#include "render/saved.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	char *why = NULL;
	json_object *doc, *safe;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	doc = nd_saved_parse((const char *)data, size, &why);
	if (!doc == !why)
		abort();   /* exactly one of them */
	if (doc) {
		int code = nd_saved_exit(doc);
		if (code < 0 || code > 3)
			abort();
		nd_render_saved_text(doc, nd_opts_default(), null, true);
		safe = nd_safe_json(doc, ND_SAFE_JSON, false);
		fputs(json_object_to_json_string(safe), null);
		json_object_put(safe);
		json_object_put(doc);
	}
	free(why);
	return 0;
}
