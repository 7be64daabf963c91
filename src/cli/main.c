/* SPDX-License-Identifier: BSD-2-Clause */
#include <signal.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/isolate.h"
#include "core/opts.h"
#include "core/util.h"
#include "report/report.h"

int
main(int argc, char **argv)
{
	struct nd_opts o;
	const char *lang_arg = nd_cli_prescan_lang(argc, argv);
	const struct nd_command *cmd = NULL;
	int code;

	signal(SIGPIPE, SIG_IGN);
	/* Ctrl-C, SIGTERM or a closed terminal must not leave a module's
	 * forked helper behind; `watch` handles Ctrl-C its own way later */
	nd_child_guard_signals();
	nd_opts_defaults(&o);
	o.started_ms = nd_now_ms();   /* the metrics' and the summary's run duration */
	o.lang = nd_i18n_init(lang_arg);
	if (!o.lang) {
		o.lang = nd_i18n_init(NULL);
		return nd_usage_error("%s", _("unknown language given with --lang (use tr or en)"));
	}
	if ((code = nd_cli_parse(argc, argv, &o, &cmd)) != 0 || !cmd)
		return code;
	return cmd->run(&o);
}
