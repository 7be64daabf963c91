/* SPDX-License-Identifier: BSD-2-Clause */
#include "cli/cli.h"
#include "report/report.h"

int
nd_cmd_readers(struct nd_opts *o)
{
	return nd_run_report(o, ND_COLLECT_PCSC, ND_LAYER_PCSC);
}
