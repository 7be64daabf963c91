/* SPDX-License-Identifier: BSD-2-Clause */
/* For harnesses whose input ends up in a report: render it as JSON and as
 * text (no colour) and abort on output that outside data broke:
 *   - JSON: the whole document valid UTF-8, and parsed back;
 *   - text: valid UTF-8, no control character but the line breaks (no ESC,
 *     BEL, CR, DEL), no C1 control. */
#ifndef ND_FUZZ_RENDER_CHECK_H
#define ND_FUZZ_RENDER_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/safe.h"
#include "render/render.h"

static void
nd_fuzz_check_render(const struct nd_report *rep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_object *back;

	if (!f)
		abort();
	nd_render_json(rep, f);
	fclose(f);
	if (!nd_utf8_valid(buf, len) || !(back = json_tokener_parse(buf)))
		abort();
	json_object_put(back);
	free(buf);

	buf = NULL;
	len = 0;
	if (!(f = open_memstream(&buf, &len)))
		abort();
	nd_render_text(rep, f, false);
	fclose(f);
	if (!nd_utf8_valid(buf, len))
		abort();
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			abort();
		if (c == 0xC2 && i + 1 < len && (unsigned char)buf[i + 1] >= 0x80 && (unsigned char)buf[i + 1] <= 0x9F)
			abort();
	}
	free(buf);
}

#endif
