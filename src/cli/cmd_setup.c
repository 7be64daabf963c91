/* SPDX-License-Identifier: BSD-2-Clause */
/* `nesdoctor setup [PART...] [--apply] [--root DIR]`: see src/setup/setup.h. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/safe.h"
#include "render/render.h"
#include "report/report.h"
#include "setup/setup.h"

int
nd_cmd_setup(struct nd_opts *o)
{
	struct nd_plan plan = { 0 };
	int code;

	for (int i = 0; i < o->nargs; i++)
		if (!nd_setup_part_known(o->args[i])) {
			code = nd_usage_error(_("unknown setup part '%s' (parts: %s)"), o->args[i], ND_SETUP_PARTS);
			goto fail;
		}
	if ((code = nd_setup_plan(o, o->args, o->nargs, &plan)) != 0)
		goto fail;
	if (o->apply)
		nd_setup_apply(o, &plan);
	if (o->json) {
		json_object *raw = nd_setup_json(o, &plan);
		/* paths under --root and module paths are outside data too */
		json_object *doc = nd_safe_json(raw, ND_SAFE_JSON, o->show_id);

		json_object_put(raw);
		fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE), stdout);
		fputc('\n', stdout);
		json_object_put(doc);
	} else
		nd_setup_render_text(&plan, stdout, nd_render_use_color(o, stdout));
	fflush(stdout);
	code = nd_setup_exit(&plan);
fail:
	nd_plan_reset(&plan);
	return code;
}
