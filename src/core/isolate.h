/* SPDX-License-Identifier: BSD-2-Clause */
/* Run code that may hang or crash (a vendor PKCS#11 module, a stuck pcscd)
 * in a child process. The child reports back over a pipe with framed JSON
 * messages; the parent enforces the time limits, kills a hung child, and
 * tells which step it was in.
 *
 *   child:  nd_chan_step(ch, "C_GetTokenInfo");   before each risky call
 *           nd_chan_send(ch, msg);                results, as JSON objects
 *   parent: nd_child_run(fn, arg, &lim, on_msg, ctx, &res);
 *
 * Frame: 4-byte big-endian length, then that many bytes of JSON text.
 *
 * The child runs in a process group of its own, and the whole group is
 * killed when the run ends, also after a clean exit: a module that forks a
 * helper (a vendor "daemon" that does not call setsid) cannot leave it
 * behind, nor keep the run waiting by holding the pipe open. The run ends
 * when the child exits, not when the pipe closes. A helper that leaves the
 * group (setsid, as a proper daemon does) comes back to the program, a
 * child subreaper from its first child on, once orphaned: when a run ends,
 * every child of the program that is not a child it is running is killed
 * and reaped. */
#ifndef ND_ISOLATE_H
#define ND_ISOLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/error.h"

#define ND_CHAN_MAX_FRAME (1u << 20)      /* one message: 1 MiB */
#define ND_CHAN_MAX_TOTAL (16u << 20)     /* all messages of one child: 16 MiB */
#define ND_CHAN_MAX_DEPTH 32

struct nd_chan;

typedef void (*nd_child_fn)(struct nd_chan *ch, void *arg);
/* Called in the parent for each message other than a step announcement.
 * The message is borrowed. Return false to stop the child (it is killed). */
typedef bool (*nd_msg_fn)(json_object *msg, void *ctx);

enum nd_child_end {
	ND_CHILD_EXITED,    /* returned normally; `code` holds the exit status */
	ND_CHILD_SIGNALED,  /* died of signal `code` (a crash) */
	ND_CHILD_TIMEOUT,   /* killed by us: a step took longer than allowed */
	ND_CHILD_STOPPED,   /* killed by us because on_msg asked for it, or because
	                       a signal handler of the parent ran while waiting
	                       (the terminal's Ctrl-C reaches only the parent) */
	ND_CHILD_BADMSG,    /* killed by us: it sent a malformed or oversize frame */
	ND_CHILD_FAILED,    /* could not be started (fork/pipe failed) */
};

struct nd_child_limits {
	int step_ms;   /* max time without a message (each step resets it); <=0: none */
	int total_ms;  /* max total time; <=0: none */
};

struct nd_child_result {
	enum nd_child_end end;
	int code;           /* exit status or signal number */
	char step[256];     /* last step announced before the end ("" if none) */
	int64_t elapsed_ms;
	size_t n_msgs;      /* messages received (steps excluded) */
	bool over_total;    /* ND_CHILD_TIMEOUT: the total limit ended it, not a
	                       step that took longer than step_ms */
};

/* Run fn(ch, arg) in a child. Returns ND_OK when the child was run (see
 * res->end for how it ended), or an error when it could not be started. */
nd_err nd_child_run(nd_child_fn fn, void *arg, const struct nd_child_limits *lim,
                    nd_msg_fn on_msg, void *ctx, struct nd_child_result *res);

/* Several children at once (the p11 layer probes its modules side by
 * side): start each, call nd_child_wait until each is done, then take each
 * one's result with nd_child_end, which also frees it. A child's group is
 * killed and the child reaped as soon as its run ends.
 *
 * nd_child_wait waits until at least one of the n children ends, or until
 * until_ms (nd_now_ms() clock; <= 0: no such limit) comes; it returns how
 * many ended. nd_child_end on a child still running stops it first. */
struct nd_child;
nd_err nd_child_start(nd_child_fn fn, void *arg, const struct nd_child_limits *lim,
                      nd_msg_fn on_msg, void *ctx, struct nd_child **out);
size_t nd_child_wait(struct nd_child *const *v, size_t n, int64_t until_ms);
bool nd_child_done(const struct nd_child *c);
void nd_child_end(struct nd_child *c, struct nd_child_result *res);

/* Make SIGINT, SIGTERM and SIGHUP, when they end the program, first kill
 * the process groups of the children running then (a module's forked
 * helper would outlive us otherwise). Async-signal-safe; signals that are
 * ignored stay ignored. A command may install its own handler afterwards
 * (watch ends cleanly on Ctrl-C; nd_child_run then stops the child). */
void nd_child_guard_signals(void);
void nd_child_kill_all(void);   /* async-signal-safe */

/* Child side. Both return false when the parent is gone. */
bool nd_chan_step(struct nd_chan *ch, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool nd_chan_send(struct nd_chan *ch, json_object *msg);   /* msg is not consumed */

/* The message decoder, exposed for tests and the fuzz harness: feed bytes as
 * they arrive; each complete frame is parsed and handed to cb. Returns
 * ND_OK, or ND_ERR_PARSE / ND_ERR_PROTOCOL for a bad frame (stop reading). */
struct nd_chan_decoder {
	uint8_t *buf;
	size_t len, cap;
	size_t total;
};
typedef bool (*nd_frame_fn)(json_object *msg, void *ctx);
nd_err nd_chan_decode(struct nd_chan_decoder *d, const uint8_t *p, size_t n,
                      nd_frame_fn cb, void *ctx);
void nd_chan_decoder_reset(struct nd_chan_decoder *d);

const char *nd_child_end_name(enum nd_child_end e);

#endif
