/* SPDX-License-Identifier: BSD-2-Clause */
/* One report, the format the options ask for: text (the default), the
 * JSON document, Prometheus' exposition or the fleet summary; and with
 * --textfile-dir, the metrics in DIR/nesdoctor.prom besides. */
#include <stdio.h>

#include "render/render.h"

int
nd_render(const struct nd_report *rep)
{
	const struct nd_opts *o = rep->opts ? rep->opts : nd_opts_default();
	int code = (int)nd_verdict_exit(rep->verdict);

	/* --textfile-dir alone (the timer's run): the file is the output,
	 * standard output stays quiet; a --format given too prints as well */
	if (!o->textfile_dir || o->format_set)
		switch (o->format) {
		case ND_FORMAT_JSON:
			nd_render_json(rep, stdout);
			break;
		case ND_FORMAT_PROMETHEUS:
			nd_render_prometheus(rep, stdout);
			break;
		case ND_FORMAT_SUMMARY:
			nd_render_summary(rep, stdout);
			break;
		case ND_FORMAT_TEXT:
		default:
			nd_render_text(rep, stdout, nd_render_use_color(o, stdout));
			break;
		}
	fflush(stdout);
	if (o->textfile_dir && nd_render_textfile(rep, o->textfile_dir) != 0)
		code = ND_EXIT_IOERR;
	return code;
}
