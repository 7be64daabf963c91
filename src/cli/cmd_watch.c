/* SPDX-License-Identifier: BSD-2-Clause */
/* `nesdoctor watch`: reader and card events as they happen, one line each,
 * or JSON lines with --json:
 *   {"event": "card_inserted", "reader": "...", "atr": "3B...", "time": "...Z",
 *    "family": "akis_uekae", "name": "AKIS (UEKAE family)"}
 * Stops on Ctrl-C, after --count N events, or after --timeout seconds (only
 * when given). Exit 0 then; 3 when pcscd could not be watched (it stopped
 * answering, or the watch itself failed). Notices about pcscd and the
 * readers seen at the start go to standard error.
 *
 * The pcsc layer watches and identifies the cards (pcsc/watch.c); the lines
 * are render/watch.c's. Here: which readers, how many events, when to stop. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/util.h"
#include "pcsc/watch.h"
#include "render/render.h"
#include "report/report.h"

/* pcscd is given at most this long to answer one call, even under a longer
 * --timeout (which then bounds the whole watch) */
#define STUCK_MAX_S 10

static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

struct watch_ctx {
	const struct nd_opts *o;
	long seen;
	int64_t deadline;          /* monotonic ms; 0: none */
};

static bool
reader_wanted(const struct nd_opts *o, const char *name)
{
	return name && (!o->reader || strcmp(name, o->reader) == 0 || strcasestr(name, o->reader));
}

/* The baseline's readers that --reader lets through (borrowed entries). */
static void
show_baseline(const struct watch_ctx *w, json_object *msg)
{
	json_object *arr = nd_jarr(msg, "readers"), *shown = json_object_new_array();

	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *r = json_object_array_get_idx(arr, i);

		if (reader_wanted(w->o, nd_jstr(r, "name")))
			json_object_array_add(shown, json_object_get(r));
	}
	nd_render_watch_baseline(w->o, shown, stderr);
	json_object_put(shown);
}

static bool
on_msg(json_object *msg, void *p)
{
	struct watch_ctx *w = p;
	const char *type = nd_jstr(msg, "type");

	if (interrupted || (w->deadline && nd_now_ms() >= w->deadline))
		return false;
	if (!type)
		return true;
	if (strcmp(type, "service") == 0)
		nd_render_watch_service(msg, stderr);
	else if (strcmp(type, "baseline") == 0)
		show_baseline(w, msg);
	else if (strcmp(type, "event") == 0 && nd_jstr(msg, "event") && reader_wanted(w->o, nd_jstr(msg, "reader"))) {
		if (!nd_render_watch_event(w->o, msg, stdout))
			return false;
		if (w->o->count > 0 && ++w->seen >= w->o->count)
			return false;
	}
	return true;
}

int
nd_cmd_watch(struct nd_opts *o)
{
	struct watch_ctx w = { o, 0, 0 };
	struct nd_watch_result res;
	struct sigaction sa;
	int stuck_s = o->timeout_s < STUCK_MAX_S ? o->timeout_s : STUCK_MAX_S;
	bool started;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (o->timeout_set)
		w.deadline = nd_now_ms() + (int64_t)o->timeout_s * 1000;

	started = nd_pcsc_watch(stuck_s * 1000, on_msg, &w, &res) == ND_OK;
	if (started && (res.end == ND_WATCH_STOPPED || interrupted))
		return ND_EXIT_READY;
	nd_render_watch_end(&res, started, stuck_s, stderr);
	return ND_EXIT_UNKNOWN;
}
