/* SPDX-License-Identifier: BSD-2-Clause */
/* The thin tool on top of the library: one file per command. */
#ifndef ND_CLI_H
#define ND_CLI_H

#include <stdio.h>

#include "core/opts.h"

/* Each command returns the process exit code (see enum nd_exit). */
int nd_cmd_check(struct nd_opts *o);
int nd_cmd_readers(struct nd_opts *o);
int nd_cmd_watch(struct nd_opts *o);
int nd_cmd_tokens(struct nd_opts *o);
int nd_cmd_sign_test(struct nd_opts *o);
int nd_cmd_verify(struct nd_opts *o);
int nd_cmd_setup(struct nd_opts *o);
int nd_cmd_bundle(struct nd_opts *o);
int nd_cmd_show(struct nd_opts *o);

/* The commands as bits: each option lists the commands that take it. */
enum nd_cmd_bit {
	ND_CMD_CHECK = 1 << 0,
	ND_CMD_READERS = 1 << 1,
	ND_CMD_WATCH = 1 << 2,
	ND_CMD_TOKENS = 1 << 3,
	ND_CMD_SIGN_TEST = 1 << 4,
	ND_CMD_VERIFY = 1 << 5,
	ND_CMD_SETUP = 1 << 6,
	ND_CMD_BUNDLE = 1 << 7,
	ND_CMD_SHOW = 1 << 8,
};
#define ND_CMD_ALL 0x1ffu

struct nd_command {
	const char *name;
	unsigned bit;                     /* its ND_CMD_* */
	int (*run)(struct nd_opts *o);
	const char *args;                 /* N_(): its arguments in --help; NULL: takes none */
	const char *help;                 /* N_(): one line in --help */
};

/* The command line (src/cli/options.c). nd_cli_parse fills o and *cmd and
 * returns 0 (*cmd NULL: help or version was printed, exit 0) or the exit
 * code of a usage error, already said on stderr. */
int nd_cli_parse(int argc, char **argv, struct nd_opts *o, const struct nd_command **cmd);
/* --help for the tool (cmd NULL) or for one command. */
void nd_cli_usage(FILE *out, const struct nd_command *cmd);
/* --lang must be known before any message is printed. */
const char *nd_cli_prescan_lang(int argc, char **argv);

/* Collectors to run for a report command. */
enum nd_collect {
	ND_COLLECT_USB = 1 << 0,
	ND_COLLECT_SYS = 1 << 1,
	ND_COLLECT_PCSC = 1 << 2,
	ND_COLLECT_P11 = 1 << 3,
	ND_COLLECT_X509 = 1 << 4,
};

/* Collect, evaluate the given layers, render; returns the exit code. */
int nd_run_report(struct nd_opts *o, unsigned collect, unsigned layers);
/* The same without rendering: rep is initialised and evaluated (free it
 * with nd_report_reset). */
struct nd_report;
void nd_run_collect(struct nd_report *rep, struct nd_opts *o, unsigned collect, unsigned layers);
/* What `check` collects and evaluates (bundle runs the same). */
#define ND_CHECK_COLLECT (ND_COLLECT_USB | ND_COLLECT_SYS | ND_COLLECT_PCSC | ND_COLLECT_P11 | ND_COLLECT_X509)

/* Print a usage error and return ND_EXIT_USAGE. */
int nd_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
