/* `nesdoctor watch`: reader and card events as they happen, one line each,
 * or JSON lines with --json:
 *   {"event": "card_inserted", "reader": "...", "atr": "3B...", "time": "...Z",
 *    "family": "akis_uekae", "name": "AKIS (UEKAE family)"}
 * Stops on Ctrl-C, after --count N events, or after --timeout seconds (only
 * when given). Exit 0 then; 3 when pcscd could not be watched (it stopped
 * answering, or the watch itself failed). Notices about pcscd and the
 * readers seen at the start go to standard error. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/safe.h"
#include "core/util.h"
#include "pcsc/atr.h"
#include "pcsc/cardid.h"
#include "pcsc/pcsc.h"
#include "pcsc/watch.h"
#include "report/report.h"

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
	struct nd_cardlist *list;
	bool list_tried;
};

static const char *
event_label(const char *ev)
{
	if (strcmp(ev, ND_EV_CARD_INSERTED) == 0)
		return _("card inserted");
	if (strcmp(ev, ND_EV_CARD_REMOVED) == 0)
		return _("card removed");
	if (strcmp(ev, ND_EV_READER_ADDED) == 0)
		return _("reader added");
	if (strcmp(ev, ND_EV_READER_REMOVED) == 0)
		return _("reader removed");
	return ev;
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

static bool
reader_wanted(const struct nd_opts *o, const char *name)
{
	return !o->reader || strcmp(name, o->reader) == 0 || strcasestr(name, o->reader);
}

/* The card identification for an ATR in hex (new reference, or NULL). */
static json_object *
identify(struct watch_ctx *w, const char *hex)
{
	uint8_t atr[64];
	long n;

	if (!hex || (n = nd_unhex(hex, atr, sizeof atr)) <= 0)
		return NULL;
	if (!w->list_tried) {
		w->list_tried = true;
		nd_cardlist_load(nd_cardlist_path(), &w->list);
	}
	return nd_pcsc_card_json(atr, (size_t)n, w->list);
}

static const char *
card_text(json_object *card)
{
	if (!card)
		return "";
	return nd_card_label(nd_jstr(card, "family"), nd_jstr(card, "ambiguous_with") != NULL);
}

/* Returns false when standard output is gone (`nesdoctor watch | head -1`):
 * SIGPIPE is ignored, so a write error is the only sign. */
static bool
print_event(struct watch_ctx *w, json_object *msg)
{
	const char *ev = nd_jstr(msg, "event"), *raw = nd_jstr(msg, "reader"), *atr = nd_jstr(msg, "atr");
	char *printable = nd_pcsc_printable((const uint8_t *)raw, strlen(raw), 256);
	/* a reader name is outside data: escaped, and masked as a label is */
	char *reader = nd_safe_text(printable, w->o->show_id, false);
	json_object *card = strcmp(ev, ND_EV_CARD_INSERTED) == 0 ? identify(w, atr) : NULL;

	if (w->o->json) {
		json_object *line = json_object_new_object(), *safe;

		json_object_object_add(line, "event", json_object_new_string(ev));
		json_object_object_add(line, "reader", json_object_new_string(printable));
		nd_jset_str(line, "atr", atr);
		nd_jset_str(line, "time", nd_jstr(msg, "time"));
		if (card) {
			nd_jset_str(line, "family", nd_jstr(card, "family"));
			nd_jset_str(line, "name", nd_jstr(card, "name"));
			if (nd_jstr(card, "ambiguous_with"))
				nd_jset_str(line, "ambiguous_with", nd_jstr(card, "ambiguous_with"));
		}
		safe = nd_safe_json(line, ND_SAFE_JSON, w->o->show_id);
		puts(json_object_to_json_string_ext(safe, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(safe);
		json_object_put(line);
	} else {
		const char *label = event_label(ev);
		size_t width = 0;

		/* pad by characters, not bytes: the Turkish labels have 'ı' */
		for (const char *c = label; *c; c++)
			width += ((unsigned char)*c & 0xC0) != 0x80;
		printf("%s  %s%*s %s", nd_jstr(msg, "time") ? nd_jstr(msg, "time") : "", label,
		    width < 15 ? (int)(15 - width) : 0, "", reader);
		if (atr && strcmp(ev, ND_EV_CARD_INSERTED) == 0)
			printf("  %s  %s", atr, card_text(card));
		putchar('\n');
	}
	json_object_put(card);
	free(reader);
	free(printable);
	return fflush(stdout) == 0 && !ferror(stdout);
}

static void
print_baseline(struct watch_ctx *w, json_object *msg)
{
	json_object *arr = nd_jarr(msg, "readers");
	size_t n = arr ? json_object_array_length(arr) : 0, shown = 0;

	for (size_t i = 0; i < n; i++)
		shown += reader_wanted(w->o, or_empty(nd_jstr(json_object_array_get_idx(arr, i), "name")));
	fprintf(stderr, _("Watching %zu card readers (Ctrl-C to stop):\n"), shown);
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(arr, i), *card;
		const char *raw = or_empty(nd_jstr(r, "name"));
		char *printable, *name;

		if (!reader_wanted(w->o, raw))
			continue;
		printable = nd_pcsc_printable((const uint8_t *)raw, strlen(raw), 256);
		name = nd_safe_text(printable, w->o->show_id, false);
		card = identify(w, nd_jstr(r, "atr"));
		if (card)
			fprintf(stderr, "  %s: %s (%s)\n", name, card_text(card), nd_jstr(r, "atr"));
		else
			fprintf(stderr, "  %s: %s\n", name, _("(no card)"));
		json_object_put(card);
		free(name);
		free(printable);
	}
}

static bool
on_msg(json_object *msg, void *p)
{
	struct watch_ctx *w = p;
	const char *type = nd_jstr(msg, "type");

	if (interrupted)
		return false;
	if (w->deadline && nd_now_ms() >= w->deadline)
		return false;
	if (!type)
		return true;
	if (strcmp(type, "service") == 0) {
		if (strcmp(or_empty(nd_jstr(msg, "rv")), "SCARD_S_SUCCESS") == 0)
			fprintf(stderr, "%s\n", _("pcscd answers."));
		else
			fprintf(stderr, _("pcscd cannot be reached (%s); waiting for it. Start it with: "
			    "sudo systemctl enable --now pcscd.socket\n"), or_empty(nd_jstr(msg, "rv")));
	} else if (strcmp(type, "baseline") == 0) {
		print_baseline(w, msg);
	} else if (strcmp(type, "event") == 0 && nd_jstr(msg, "event") && nd_jstr(msg, "reader") &&
	    reader_wanted(w->o, nd_jstr(msg, "reader"))) {
		if (!print_event(w, msg))
			return false;
		if (w->o->count > 0 && ++w->seen >= w->o->count)
			return false;
	}
	return true;
}

int
nd_cmd_watch(struct nd_opts *o)
{
	struct watch_ctx w = { o, 0, 0, NULL, false };
	struct nd_watch_result res;
	struct sigaction sa;
	int stuck_s = o->timeout_s > 0 && o->timeout_s < 10 ? o->timeout_s : 10;
	int code = ND_EXIT_UNKNOWN;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (o->timeout_set)
		w.deadline = nd_now_ms() + (int64_t)o->timeout_s * 1000;

	if (nd_pcsc_watch(stuck_s * 1000, on_msg, &w, &res) != ND_OK) {
		fprintf(stderr, "nesdoctor: %s\n", _("could not start watching"));
		goto fail;
	}
	if (res.end == ND_WATCH_STOPPED || interrupted) {
		code = ND_EXIT_READY;
		goto fail;
	}
	if (res.end == ND_WATCH_STUCK)
		fprintf(stderr, _("nesdoctor: pcscd stopped answering (no answer within %d s, in %s)\n"),
		    stuck_s, res.step);
	else
		fprintf(stderr, "nesdoctor: %s\n", _("the watch ended unexpectedly"));
fail:
	nd_cardlist_free(w.list);
	return code;
}
