/* The thin tool on top of the library: one file per command. */
#ifndef ND_CLI_H
#define ND_CLI_H

#include "core/opts.h"

/* Each command returns the process exit code (see enum nd_exit). */
int nd_cmd_check(struct nd_opts *o);
int nd_cmd_readers(struct nd_opts *o);
int nd_cmd_watch(struct nd_opts *o);
int nd_cmd_tokens(struct nd_opts *o);
int nd_cmd_sign_test(struct nd_opts *o);
int nd_cmd_verify(struct nd_opts *o);
int nd_cmd_setup(struct nd_opts *o);

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

/* Print a usage error and return ND_EXIT_USAGE. */
int nd_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
