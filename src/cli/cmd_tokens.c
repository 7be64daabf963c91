/* SPDX-License-Identifier: BSD-2-Clause */
#include "cli/cli.h"
#include "report/report.h"

int
nd_cmd_tokens(struct nd_opts *o)
{
	return nd_run_report(o, ND_COLLECT_PCSC | ND_COLLECT_P11, ND_LAYER_PCSC | ND_LAYER_P11);
}
