#include <string.h>

#include "core/opts.h"

void
nd_opts_defaults(struct nd_opts *o)
{
	memset(o, 0, sizeof *o);
	o->command = "check";
	o->color = ND_COLOR_AUTO;
	o->timeout_s = 10;
	o->pin_fd = -1;
	o->expiry_warn_days = 30;
}
