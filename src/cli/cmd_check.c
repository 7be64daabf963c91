/* SPDX-License-Identifier: BSD-2-Clause */
#include "cli/cli.h"
#include "report/report.h"

/* The full diagnosis: reads nothing secret and changes nothing. */
int
nd_cmd_check(struct nd_opts *o)
{
	return nd_run_report(o,
	    ND_COLLECT_USB | ND_COLLECT_SYS | ND_COLLECT_PCSC | ND_COLLECT_P11 | ND_COLLECT_X509,
	    ND_LAYER_ALL & ~(unsigned)ND_LAYER_SIGN);
}
