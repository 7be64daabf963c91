#include <stdio.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "report/report.h"

int
nd_cmd_watch(struct nd_opts *o)
{
	(void)o;
	fprintf(stderr, "nesdoctor: %s: %s\n", "watch", _("not implemented yet"));
	return ND_EXIT_UNKNOWN;
}
