/* The sys section of the text report: what the inventory holds. */
#include "render/render.h"

void nd_render_text_sys(const struct nd_report *rep, FILE *out, bool color);

void
nd_render_text_sys(const struct nd_report *rep, FILE *out, bool color)
{
	(void)rep;
	(void)out;
	(void)color;
}
