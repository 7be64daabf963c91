/* SPDX-License-Identifier: BSD-2-Clause */
#include <string.h>

#include "core/opts.h"

/* every option not named here is zero, false or NULL */
#define OPTS_DEFAULTS { .command = "check", .color = ND_COLOR_AUTO, .timeout_s = ND_DEFAULT_TIMEOUT_S, \
	.pin_fd = -1, .expiry_warn_days = ND_DEFAULT_EXPIRY_WARN_DAYS }

static const struct nd_opts defaults = OPTS_DEFAULTS;

void
nd_opts_defaults(struct nd_opts *o)
{
	memset(o, 0, sizeof *o);
	*o = defaults;
}

const struct nd_opts *
nd_opts_default(void)
{
	return &defaults;
}
