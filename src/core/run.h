/* SPDX-License-Identifier: BSD-2-Clause */
/* Running an outside command with a time limit and a cap on its output.
 * Used by the collectors (pcscd --version, systemctl, loginctl,
 * journalctl, lsusb, java -version), setup (systemctl, udevadm, modutil)
 * and the CLI (tar for bundle and show). */
#ifndef ND_CORE_RUN_H
#define ND_CORE_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define ND_RUN_MAX_OUT (256u << 10)

struct nd_run_result {
	int status;        /* exit status, or -1 when it did not exit normally */
	int signal;        /* the signal that ended it, 0 if none */
	bool timed_out;    /* killed by us at the deadline */
	char *out;         /* stdout (and stderr if asked), NUL-terminated, malloc'ed */
	size_t out_len;
	bool truncated;    /* more output than max_out: the rest was dropped */
};

/* Run argv[0] (looked up in PATH) with argv, stdin from /dev/null, in its
 * own process group, in the C locale. Kill the group after timeout_ms.
 * Returns ND_OK when the command ran (see res), ND_ERR_NOT_FOUND when it is
 * not installed, ND_ERR_IO when it could not be started. */
nd_err nd_run(const char *const argv[], int timeout_ms, bool with_stderr,
              size_t max_out, struct nd_run_result *res);
void nd_run_result_reset(struct nd_run_result *res);

/* The full path of an executable found in PATH (or the given absolute
 * path if executable), malloc'ed; NULL when none. */
char *nd_which(const char *prog);

#endif
